package labops.ingress;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxMessageBytes largest MLLP frame accepted; a larger one closes the connection
 * @param tls             the server certificate of MLLP endpoints that require TLS
 * @param maxInFlight     messages of one connection awaiting Kafka before ingress stops reading from it
 * @param partitionKeySecret base64 key of the keyed hash in Kafka keys; the same on every instance (blank: random)
 */
@ConfigurationProperties("labops.ingress")
public record IngressProperties(@DefaultValue("10485760") int maxMessageBytes, @DefaultValue Tls tls,
                                @DefaultValue("32") int maxInFlight, String partitionKeySecret) {

    /**
     * @param keyStore         PKCS#12 file with the server key and certificate chain (blank: TLS endpoints stay closed)
     * @param keyStorePassword its password
     */
    public record Tls(String keyStore, String keyStorePassword) {
    }
}
