package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * FHIR R4 through the running services: a transaction Bundle posted with the hospital's API client becomes an order
 * in the staff queue; a valid ServiceRequest Lab Ops cannot turn into an order becomes a fix-order-data task naming
 * the element. Ingress validates with HAPI's R4 validator inside the small test JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(4)
class FhirIntakeSystemTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LabOpsSystem system;

    @BeforeAll
    void startTheSystem() {
        system = LabOpsSystem.get();
    }

    @Test
    void aTransactionBecomesAnOrderInTheQueueAndAnUnmappableOrderATaskToFixIt() throws Exception {
        String placer = "PON-FHIR-" + UUID.randomUUID().toString().substring(0, 8);
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"fullUrl": "urn:uuid:%1$s",
                   "resource": {"resourceType": "Patient",
                     "identifier": [{"system": "https://ehr.demo-hospital.example/mrn", "value": "MRN-FHIR-1"}],
                     "name": [{"family": "Testpatient", "given": ["Fhir"]}]},
                   "request": {"method": "POST", "url": "Patient"}},
                  {"fullUrl": "urn:uuid:%2$s",
                   "resource": {"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                     "priority": "stat",
                     "identifier": [{"system": "https://ehr.demo-hospital.example/orders", "value": "%3$s"}],
                     "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": "Glucose"}]},
                     "subject": {"reference": "urn:uuid:%1$s"}},
                   "request": {"method": "POST", "url": "ServiceRequest"}}]}"""
                .formatted(UUID.randomUUID(), UUID.randomUUID(), placer);

        var answer = post("", bundle);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("transaction-response", "201 Created");
        var queue = system.api("workflow-service", system.tenantAdminToken());
        String tasks = Eventually.await("the order in the staff queue", Duration.ofSeconds(60), () -> {
            String open = Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"));
            return open.contains(placer) ? Optional.of(open) : Optional.empty();
        });
        assertThat(tasks).contains("2345-7").contains("STAT");

        String completed = """
                {"resourceType": "ServiceRequest", "status": "completed", "intent": "order",
                 "identifier": [{"system": "https://ehr.demo-hospital.example/orders", "value": "%s-DONE"}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
                 "subject": {"identifier": {"system": "https://ehr.demo-hospital.example/mrn", "value": "MRN-FHIR-1"}}}"""
                .formatted(placer);
        var accepted = post("/ServiceRequest", completed);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        String messageId = accepted.headers().firstValue("Location").orElseThrow().replaceAll(".*/ServiceRequest/", "")
                .replaceAll("/.*", "");
        Eventually.await("a fix-order-data task for the unmappable order", Duration.ofSeconds(60), () -> {
            String open = Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"));
            return open.contains(messageId) && open.contains("ServiceRequest.status completed is not an order change")
                    ? Optional.of(open) : Optional.empty();
        });
    }

    /**
     * The integration page's FHIR examples, sent as a hospital would: each is accepted, becomes the events the page
     * promised, and the sender reads that fate under the Lab Ops id it was answered with.
     */
    @Test
    void everyGuideExampleBecomesTheEventsItShowsAndItsFateIsReadable() throws Exception {
        String guide = Api.ok(system.api("normalizer-service", system.tenantAdminToken())
                .get("/api/tenants/" + LabOpsSystem.TENANT + "/environments/sandbox/guide/fhir"));
        List<Map<String, Object>> examples = JsonPath.read(guide, "$.examples");
        assertThat(examples).hasSize(3);
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        var sender = system.api("audit-service", token);

        for (var example : examples) {
            var answer = post((String) example.get("path"), (String) example.get("body"));
            assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201);
            var id = java.util.regex.Pattern.compile("Lab Ops message ([0-9a-f-]{36})").matcher(answer.body());
            assertThat(id.find()).as("the answer names the Lab Ops id: " + answer.body()).isTrue();
            String status = "/api/tenants/" + LabOpsSystem.TENANT + "/environments/sandbox/messages/" + id.group(1);
            assertThat(answer.body()).contains(status);
            int promised = ((List<?>) example.get("events")).size();
            var last = new java.util.concurrent.atomic.AtomicReference<String>();
            String fate = Eventually.await("the fate of " + example.get("title"), Duration.ofSeconds(90), () -> {
                var read = sender.get(status);
                last.set(read.statusCode() + " " + read.body());
                return read.statusCode() == 200 && JsonPath.<List<?>>read(read.body(), "$.events").size() == promised
                        ? Optional.of(read.body()) : Optional.empty();
            }, last::get);
            assertThat(JsonPath.<String>read(fate, "$.state")).isEqualTo("normalized");
            assertThat(JsonPath.<String>read(fate, "$.channel")).isEqualTo("fhir-rest");
        }
        var queue = system.api("workflow-service", system.tenantAdminToken());
        Eventually.await("both example orders in the staff queue", Duration.ofSeconds(60), () -> {
            String open = Api.ok(queue.get("/api/tenants/" + LabOpsSystem.TENANT + "/tasks"));
            return open.contains("PON-EXAMPLE-1") && open.contains("PON-EXAMPLE-2") ? Optional.of(open)
                    : Optional.empty();
        });
    }

    /**
     * Resources refused at the door are answered with an OperationOutcome, kept on the DLT and in the audit trail: the
     * sender reads each one's fate, and its reason, under the id Lab Ops kept it as.
     */
    @Test
    void refusedResourcesAreKeptAndTheirFateSaysWhy() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        var noSubject = post("/ServiceRequest", """
                {"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                 "identifier": [{"system": "https://ehr.demo-hospital.example/orders", "value": "PON-NS-%s"}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]}}""".formatted(marker));
        var truncated = post("/ServiceRequest", "{\"resourceType\": \"ServiceRequest\", \"id\": \"PON-TR-" + marker
                + "\", \"sta");
        var wrongType = post("/Observation", "{\"resourceType\": \"Observation\", \"id\": \"OBS-" + marker + "\"}");

        assertThat(noSubject.statusCode()).isEqualTo(422);
        assertThat(noSubject.body()).contains("OperationOutcome", "ServiceRequest.subject");
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(truncated.body()).contains("OperationOutcome");
        assertThat(wrongType.statusCode()).isEqualTo(404);
        assertThat(wrongType.body()).contains("OperationOutcome", "Observation");

        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        var sender = system.api("audit-service", token);
        for (String kept : List.of("PON-NS-" + marker, "PON-TR-" + marker, "OBS-" + marker)) {
            var record = Eventually.await(kept + " on the FHIR dead-letter topic", Duration.ofSeconds(30), () ->
                    KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                                    Topics.deadLetterOf(Topics.RAW_FHIR)).stream()
                            .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(kept)).findFirst());
            String messageId = new String(record.headers().lastHeader(RawHeaders.MESSAGE_ID).value(),
                    StandardCharsets.UTF_8);
            String reason = new String(record.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                    StandardCharsets.UTF_8);
            String fate = Eventually.await("the audited refusal of " + kept, Duration.ofSeconds(60), () -> {
                var read = sender.get("/api/tenants/" + LabOpsSystem.TENANT + "/environments/sandbox/messages/"
                        + messageId);
                return read.statusCode() == 200 ? Optional.of(read.body()) : Optional.empty();
            });
            assertThat(JsonPath.<String>read(fate, "$.state")).isEqualTo("rejected");
            assertThat(JsonPath.<String>read(fate, "$.reason")).isEqualTo("ingress: " + reason);
        }
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        return HTTP.send(HttpRequest.newBuilder(URI.create(system.url("ingress-service") + "/fhir/"
                        + LabOpsSystem.TENANT + "/sandbox" + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
