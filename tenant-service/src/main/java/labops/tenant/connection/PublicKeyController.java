package labops.tenant.connection;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.Map;
import labops.tenant.secret.SecretRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public half of Lab Ops' key pair for a tenant environment's pull-data connection, as a JWKS a hospital's
 * authorization server can fetch to check our private_key_jwt client assertions. Public by nature: no token.
 */
@RestController
class PublicKeyController {

    static final String PATH = "/jwks/{tenantId}/{environment}/pull-data";

    private final SecretRepository secrets;

    PublicKeyController(SecretRepository secrets) {
        this.secrets = secrets;
    }

    @GetMapping(PATH)
    Map<String, Object> jwks(@PathVariable String tenantId, @PathVariable String environment) {
        var keys = secrets.open(tenantId, Environments.of(environment), Direction.PULL_DATA,
                        SecretRepository.Kind.PRIVATE_KEY).stream()
                .map(opened -> parse(opened.secret()).toPublicJWK())
                .map(com.nimbusds.jose.jwk.JWK.class::cast)
                .toList();
        return new JWKSet(keys).toJSONObject();
    }

    private static RSAKey parse(String json) {
        try {
            return RSAKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored key pair cannot be read");
        }
    }
}
