package labops.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;
import labops.testsupport.TokenClient;

/**
 * {@code ./labops audit-verify TENANT}: asks the running local stack's audit-service to verify a tenant's chain
 * against its signed head, as the endpoint does, signed in as the local stack's Lab Ops admin. Prints the verdict;
 * exits 0 when intact, 1 when not, 2 when it could not ask.
 */
public final class AuditVerify {

    static final String ACCESS_FILE = "ops-access";

    private AuditVerify() {
    }

    /** The local stack's admin sign-in, readable by this user only, for this command. */
    static void writeAccess(Path run, String adminPassword, String consoleSecret) throws IOException {
        Path file = run.resolve(ACCESS_FILE);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
        Files.writeString(file, "admin-password=" + adminPassword + "\nconsole-secret=" + consoleSecret + "\n");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ./labops audit-verify TENANT");
            System.exit(2);
        }
        Path file = Path.of(".labops", "run", ACCESS_FILE);
        if (!Files.exists(file)) {
            System.err.println("no " + file + ": start the local stack first (./labops up)");
            System.exit(2);
        }
        var access = new Properties();
        access.load(new StringReader(Files.readString(file)));
        String console = "http://127.0.0.1:" + LabOpsService.CONSOLE.localPort();
        var client = new TokenClient.ConsoleClient("labops-console", access.getProperty("console-secret"),
                console + "/login/oauth2/code/labops");
        String token = new TokenClient("http://127.0.0.1:" + LabOpsService.TENANT.localPort())
                .person(client, DemoTenant.ADMIN, access.getProperty("admin-password"));
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + LabOpsService.AUDIT.localPort() + "/api/tenants/" + args[0] + "/audit/verify"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(answer.body());
        if (answer.statusCode() != 200) {
            System.exit(2);
        }
        System.exit(answer.body().contains("\"intact\":true") ? 0 : 1);
    }
}
