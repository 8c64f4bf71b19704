package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.MllpPeer;
import labops.testsupport.Ports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Revocation, suspension and rotation as a hospital lives them, over the running system: a client that keeps
 * sending while its credential is revoked, a tenant suspended mid-stream on MLLP, and deliveries signed with both
 * secrets during a rotation overlap (checked by the hospital-side verifier).
 */
@Order(2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialsSystemTest {

    /** The promise: every instance of every service refuses within this long. */
    private static final Duration PROMISE = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LabOpsSystem system;
    private Api admin;

    @BeforeAll
    void system() {
        system = LabOpsSystem.get();
        admin = system.tenantService().api(system.adminToken());
    }

    @Test
    void aClientSendingWhileItsCredentialIsRevokedIsRefusedWithinFiveSeconds() {
        String tenant = newTenant();
        String issued = Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/credentials",
                "{\"name\":\"EHR\",\"scopes\":[\"orders.write\"]}"));
        String clientId = JsonPath.read(issued, "$.clientId");
        String secret = JsonPath.read(issued, "$.clientSecret");
        system.sawSecret(secret);
        String token = system.tenantService().tokens().clientCredentials(clientId, secret);
        String url = system.url("ingress-service") + "/hl7/" + tenant + "/sandbox";

        var outcome = whileChanging(() -> {
            var response = post(url, token, order("REV-" + UUID.randomUUID()));
            return response.statusCode() == 200 && response.body().contains("MSA|AA");
        }, () -> Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/credentials/" + clientId
                + "/revoke", null)));

        outcome.assertRefusedWithinPromise("HTTP, revoked credential");
    }

    @Test
    void aSuspendedTenantIsRefusedOnMllpWithinFiveSeconds() {
        String tenant = newTenant();
        String endpoint = Api.ok(admin.post("/api/tenants/" + tenant + "/environments/sandbox/mllp-endpoints",
                "{\"purpose\":\"orders\",\"allowedSources\":[\"127.0.0.1/32\"]}"));
        int port = Integer.parseInt(JsonPath.<String>read(endpoint, "$.address").replaceAll(".*:", ""));
        Eventually.await("listener on " + port, Duration.ofSeconds(20), () ->
                Ports.isListening(port) ? Optional.of(port) : Optional.empty());

        var outcome = whileChanging(() -> {
            try {
                return MllpPeer.send(port, order("SUS-" + UUID.randomUUID())).field("MSA", 1).equals("AA");
            } catch (java.io.IOException e) {
                return false;
            }
        }, () -> Api.ok(admin.post("/api/tenants/" + tenant + "/suspend", null)));

        outcome.assertRefusedWithinPromise("MLLP, suspended tenant");
    }

    @Test
    void duringARotationDeliveriesCarryValidSignaturesForBothSecretsThenOnlyTheNewOne() throws Exception {
        String secrets = "/api/tenants/" + LabOpsSystem.TENANT
                + "/environments/sandbox/connections/send-results/signing-secrets";
        String rotated = JsonPath.read(Api.ok(admin.post(secrets, "{\"overlap\":\"PT1H\"}")), "$.secret");
        system.sawSecret(rotated);
        var receiver = system.receiver();
        receiver.requireSignaturesOf(List.of(system.webhookSecret(), rotated));

        deliver("PON-ROT-1");

        String newest = JsonPath.read(Api.ok(admin.post(secrets, "{\"overlap\":\"PT0S\"}")), "$.secret");
        system.sawSecret(newest);
        receiver.requireSignaturesOf(List.of(newest));
        deliver("PON-ROT-2");
    }

    /** Sends a result for {@code placer} and waits for the receiver to accept its delivery. */
    private void deliver(String placer) throws Exception {
        byte[] result = WalkingSkeletonSystemTest.sample("oru-r01.hl7", "MSG-ORU-0001", "MSG-" + placer,
                "PON-1001", placer);
        // The directory change may reach delivery a moment after the API answered; a retry then carries both.
        assertThat(MllpPeer.send(system.resultsPort(), result).field("MSA", 1)).isEqualTo("AA");
        Eventually.await("verified delivery of " + placer, Duration.ofSeconds(60), () -> system.receiver().verified()
                .stream().filter(body -> body.contains("\"" + placer + "\"")).findFirst());
    }

    private String newTenant() {
        String id = "sys-" + UUID.randomUUID().toString().substring(0, 8);
        Api.ok(admin.post("/api/tenants", "{\"id\":\"" + id + "\",\"name\":\"Hospital " + id + "\"}"));
        return id;
    }

    /** Sends continuously, applies {@code change} after a few accepted messages, keeps sending 2 s past the promise. */
    private static Outcome whileChanging(Supplier<Boolean> send, Runnable change) {
        var attempts = new ArrayList<Attempt>();
        Instant accepted = Instant.now().plusSeconds(20);
        while (attempts.stream().filter(Attempt::accepted).count() < 3) {
            if (Instant.now().isAfter(accepted)) {
                throw new AssertionError("the client was never accepted before the change");
            }
            attempts.add(new Attempt(Instant.now(), send.get()));
        }
        change.run();
        Instant changed = Instant.now();
        while (Instant.now().isBefore(changed.plus(PROMISE).plusSeconds(2))) {
            attempts.add(new Attempt(Instant.now(), send.get()));
        }
        return new Outcome(changed, attempts);
    }

    private record Attempt(Instant sentAt, boolean accepted) {
    }

    private record Outcome(Instant changedAt, List<Attempt> attempts) {

        void assertRefusedWithinPromise(String what) {
            var after = attempts.stream().filter(a -> a.sentAt().isAfter(changedAt)).toList();
            Instant lastAccepted = after.stream().filter(Attempt::accepted).map(Attempt::sentAt)
                    .reduce((a, b) -> b).orElse(changedAt);
            Instant firstRefused = after.stream().filter(a -> !a.accepted()).map(Attempt::sentAt).findFirst()
                    .orElse(changedAt);
            System.out.printf("%s: change committed; first refusal sent %d ms later, last acceptance %d ms later; "
                            + "%d requests after the change, %d refused%n", what,
                    Duration.between(changedAt, firstRefused).toMillis(),
                    Duration.between(changedAt, lastAccepted).toMillis(), after.size(),
                    after.stream().filter(a -> !a.accepted()).count());
            assertThat(after.stream().filter(a -> a.sentAt().isAfter(changedAt.plus(PROMISE))))
                    .as(what + ": everything sent more than 5 s after the change is refused")
                    .isNotEmpty().noneMatch(Attempt::accepted);
        }
    }

    private static HttpResponse<String> post(String url, String token, byte[] body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/hl7-v2").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] order(String controlId) {
        return ("MSH|^~\\&|EHR|HOSP|LAB|LAB|20261125083000||ORM^O01|" + controlId + "|T|2.3\r"
                + "PID|1||MRN-1^^^HOSP^MR\rORC|NW|PON-1^EHR\rOBR|1|PON-1^EHR||2345-7^Glucose^LN\r")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
