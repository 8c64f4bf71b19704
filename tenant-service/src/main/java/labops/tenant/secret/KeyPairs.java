package labops.tenant.secret;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** RSA key pairs Lab Ops signs client assertions with (private_key_jwt at a hospital's FHIR server). */
public final class KeyPairs {

    private KeyPairs() {
    }

    /** A fresh 2048-bit signing key, its id the JWK thumbprint. */
    public static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate an RSA key pair");
        }
    }
}
