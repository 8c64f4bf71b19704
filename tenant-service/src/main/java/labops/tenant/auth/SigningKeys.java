package labops.tenant.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.text.ParseException;
import labops.tenant.secret.SealedPlaces;
import labops.tenant.secret.SecretBox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The RSA key tokens are signed with, shared by every tenant-service instance through the database (the private
 * part sealed like any other secret). The first instance to start creates it.
 */
@Component
class SigningKeys {

    private final RSAKey key;

    SigningKeys(JdbcClient jdbc, SecretBox box, TransactionTemplate transactions) {
        this.key = transactions.execute(status -> {
            // One instance creates the key; the others wait and read it.
            jdbc.sql("select pg_advisory_xact_lock(7302)").query().singleRow();
            return jdbc.sql("select kid, key_id, ciphertext from token_signing_key order by created_at desc limit 1")
                    .query((rs, i) -> parse(box.open(new SecretBox.Sealed(rs.getString("key_id"),
                            rs.getString("ciphertext")), SealedPlaces.tokenSigningKey(rs.getString("kid")))))
                    .optional()
                    .orElseGet(() -> create(jdbc, box));
        });
    }

    JWKSource<SecurityContext> source() {
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    private static RSAKey create(JdbcClient jdbc, SecretBox box) {
        RSAKey created;
        try {
            created = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate the token signing key", e);
        }
        SecretBox.Sealed sealed = box.seal(created.toJSONString(), SealedPlaces.tokenSigningKey(created.getKeyID()));
        jdbc.sql("insert into token_signing_key (kid, public_key, key_id, ciphertext) values (?, ?, ?, ?)")
                .params(created.getKeyID(), created.toPublicJWK().toJSONString(), sealed.keyId(), sealed.ciphertext())
                .update();
        return created;
    }

    private static RSAKey parse(String json) {
        try {
            return RSAKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("the stored token signing key cannot be read");
        }
    }
}
