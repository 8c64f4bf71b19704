package labops.tenant.auth;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Matches a raw secret against several stored hashes, separated by spaces: during a rotation overlap an API
 * credential has two valid secrets, and the token endpoint must accept either. Registered under the id
 * {@code any-of} in the issuer's delegating encoder; it never encodes.
 */
final class AnyOfPasswordEncoder implements PasswordEncoder {

    static final String ID = "any-of";

    private final PasswordEncoder hashes;

    AnyOfPasswordEncoder(PasswordEncoder hashes) {
        this.hashes = hashes;
    }

    /** The stored form of several hashes, for a {@code RegisteredClient}'s client secret. */
    static String of(Iterable<String> hashes) {
        return "{" + ID + "}" + String.join(" ", hashes);
    }

    @Override
    public String encode(CharSequence rawPassword) {
        throw new UnsupportedOperationException("any-of only matches");
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPasswords) {
        if (rawPassword == null || encodedPasswords == null || encodedPasswords.isBlank()) {
            return false;
        }
        for (String hash : encodedPasswords.split(" ")) {
            if (hashes.matches(rawPassword, hash)) {
                return true;
            }
        }
        return false;
    }
}
