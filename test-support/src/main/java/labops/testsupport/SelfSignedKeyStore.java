package labops.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PKCS#12 key store with a self-signed certificate for 127.0.0.1, made by the JDK's own {@code keytool}: the
 * server side of MLLP over TLS in tests and the local stack, and a client that trusts exactly that certificate.
 */
public record SelfSignedKeyStore(Path path, String password) {

    /** Creates {@code path} (replacing it) with a fresh RSA key and certificate valid for a few days. */
    public static SelfSignedKeyStore create(Path path, String password) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.deleteIfExists(path);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            var process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "mllp", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "30", "-dname", "CN=127.0.0.1, O=Lab Ops local",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", path.toString(),
                    "-storepass", password, "-keypass", password))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not create " + path);
            }
            return new SelfSignedKeyStore(path, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sockets that trust this certificate and nothing else. */
    public SSLSocketFactory clientSockets() {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
