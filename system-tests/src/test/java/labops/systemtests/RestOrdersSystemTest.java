package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Small labs through the running services: a REST JSON order becomes an order in the staff queue, and the sender
 * reads that it was normalized (and into which events) under the id the 202 gave it; a CSV import's row becomes one
 * only once a person approves it.
 */
@Order(4)
class RestOrdersSystemTest {

    @Test
    void anOrderBecomesAQueuedOrderAndItsFateIsReadable() throws Exception {
        var system = LabOpsSystem.get();
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        String number = "PON-REST-" + UUID.randomUUID().toString().substring(0, 8);
        String body = """
                {"orders": [{"orderNumber": "%s", "priority": "stat",
                  "tests": [{"code": "2345-7", "system": "http://loinc.org", "display": "Glucose"}],
                  "patient": {"mrn": "MRN-REST-1", "mrnSystem": "https://lis.small-lab.example/mrn", "family": "Rest"}}]}"""
                .formatted(number);

        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.url("ingress-service")
                        + "/api/orders/" + LabOpsSystem.TENANT + "/sandbox")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", number)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = JsonPath.read(answer.body(), "$.orders[0].id");
        var sender = system.api("audit-service", token);
        String fate = Eventually.await("the order normalized", Duration.ofSeconds(60), () -> {
            var read = sender.get("/api/tenants/" + LabOpsSystem.TENANT + "/environments/sandbox/messages/" + id);
            return read.statusCode() == 200 && read.body().contains("\"normalized\"") ? Optional.of(read.body())
                    : Optional.empty();
        });
        assertThat(JsonPath.<List<String>>read(fate, "$.events[*].type"))
                .containsExactlyInAnyOrder("PatientEvent", "LabOrderEvent");
        var queue = system.api("workflow-service", system.tenantAdminToken());
        String tasks = Eventually.await("the order in the staff queue", Duration.ofSeconds(60), () -> {
            String open = Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"));
            return open.contains(number) ? Optional.of(open) : Optional.empty();
        });
        assertThat(tasks).contains("STAT");
    }

    @Test
    void anApprovedImportRowBecomesAQueuedOrderAndNothingBeforeApproval() throws Exception {
        var system = LabOpsSystem.get();
        String admin = system.tenantAdminToken();
        String number = "PON-CSV-" + UUID.randomUUID().toString().substring(0, 8);
        String csv = "order_number,mrn,family_name,tests,priority\r\n" + number + ",MRN-CSV-1,Csv,2345-7,stat\r\n";
        var http = HttpClient.newHttpClient();
        String base = system.url("ingress-service") + "/api/imports/" + LabOpsSystem.TENANT + "/sandbox";

        var uploaded = http.send(HttpRequest.newBuilder(URI.create(base + "?fileName=orders.csv"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String batch = JsonPath.read(uploaded.body(), "$.id");
        var queue = system.api("workflow-service", admin);
        assertThat(Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"))).doesNotContain(number);

        var approved = http.send(HttpRequest.newBuilder(URI.create(base + "/" + batch + "/approve"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(JsonPath.<List<Integer>>read(approved.body(), "$.published[*].row")).containsExactly(2);
        Eventually.await("the approved row in the staff queue", Duration.ofSeconds(60), () -> {
            String open = Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"));
            return open.contains(number) ? Optional.of(open) : Optional.empty();
        });
    }
}
