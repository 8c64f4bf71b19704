package labops.tenant.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import labops.tenant.secret.SealedPlaces;
import labops.tenant.secret.SecretBox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The RSA keys tokens are signed with, shared by every tenant-service instance through the database (the private
 * parts sealed like any other secret). The newest signs; a key replaced by {@link #rotate} stays in the published JWKS
 * for {@link AuthProperties#signingKeyOverlap()}, longer than any token it signed lives, so services keep accepting
 * those tokens while they pick up the new key (a token with a kid they have not seen makes them fetch the JWKS
 * again). Every instance re-reads the keys every few seconds, so a rotation made on one reaches all.
 */
@Component
class SigningKeys {

    /** The keys as last read: the signing one first. */
    private record Keys(RSAKey signing, JWKSet published) {
    }

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final TransactionTemplate transactions;
    private final AuthProperties properties;
    private volatile Keys keys;

    SigningKeys(JdbcClient jdbc, SecretBox box, TransactionTemplate transactions, AuthProperties properties) {
        this.jdbc = jdbc;
        this.box = box;
        this.transactions = transactions;
        this.properties = properties;
        transactions.executeWithoutResult(status -> {
            // One instance creates the first key; the others wait and read it.
            lock();
            if (jdbc.sql("select count(*) from token_signing_key").query(Integer.class).single() == 0) {
                insert(generate());
            }
        });
        reload();
    }

    /** Publishes the current keys to the authorization server's encoder and to every JWKS answer. */
    JWKSource<SecurityContext> source() {
        return (selector, context) -> selector.select(keys.published());
    }

    /** The key id the next token is signed with. */
    String signingKid() {
        return keys.signing().getKeyID();
    }

    /** The key ids published now, signing one first. */
    List<String> publishedKids() {
        return keys.published().getKeys().stream().map(JWK::getKeyID).toList();
    }

    /** A new signing key; the one it replaces stays published for the overlap. Answers the new key id. */
    String rotate() {
        String kid = transactions.execute(status -> {
            lock();
            jdbc.sql("update token_signing_key set retired_at = now() where retired_at is null").update();
            return insert(generate());
        });
        reload();
        return kid;
    }

    @Scheduled(fixedDelayString = "${labops.tenant.auth.signing-key-reload:5s}")
    void reload() {
        Instant publishedSince = Instant.now().minus(properties.signingKeyOverlap());
        List<RSAKey> current = jdbc.sql("""
                        select kid, key_id, ciphertext from token_signing_key
                        where retired_at is null or retired_at > ?
                        order by retired_at desc nulls first, created_at desc""")
                .param(Timestamp.from(publishedSince))
                .query((rs, i) -> parse(box.open(new SecretBox.Sealed(rs.getString("key_id"),
                        rs.getString("ciphertext")), SealedPlaces.tokenSigningKey(rs.getString("kid")))))
                .list();
        keys = new Keys(current.get(0), new JWKSet(List.copyOf(current)));
    }

    private void lock() {
        jdbc.sql("select pg_advisory_xact_lock(7302)").query().singleRow();
    }

    private String insert(RSAKey created) {
        SecretBox.Sealed sealed = box.seal(created.toJSONString(), SealedPlaces.tokenSigningKey(created.getKeyID()));
        jdbc.sql("insert into token_signing_key (kid, public_key, key_id, ciphertext) values (?, ?, ?, ?)")
                .params(created.getKeyID(), created.toPublicJWK().toJSONString(), sealed.keyId(), sealed.ciphertext())
                .update();
        return created.getKeyID();
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate a token signing key", e);
        }
    }

    private static RSAKey parse(String json) {
        try {
            return RSAKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored token signing key cannot be read");
        }
    }
}
