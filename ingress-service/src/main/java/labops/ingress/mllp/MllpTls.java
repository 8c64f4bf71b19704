package labops.ingress.mllp;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import labops.ingress.IngressProperties;

/** The TLS server context of MLLP endpoints that require TLS, from a PKCS#12 key store; none when unconfigured. */
final class MllpTls {

    private MllpTls() {
    }

    static Optional<SslContext> context(IngressProperties.Tls tls) {
        if (tls.keyStore() == null || tls.keyStore().isBlank()) {
            return Optional.empty();
        }
        char[] password = tls.keyStorePassword() == null ? new char[0] : tls.keyStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(tls.keyStore()))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            return Optional.of(SslContextBuilder.forServer(keys).protocols("TLSv1.3", "TLSv1.2").build());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("labops.ingress.tls.key-store cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        }
    }
}
