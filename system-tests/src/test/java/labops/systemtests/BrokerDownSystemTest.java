package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last of all system tests: it stops the shared broker. A sender is never told AA (MLLP) or 2xx (HTTP) for what
 * Kafka did not take.
 */
@Order(Integer.MAX_VALUE)
class BrokerDownSystemTest {

    @Test
    void withTheBrokerStoppedTheListenerNeverAnswersAa() throws Exception {
        var system = LabOpsSystem.get();
        String token = system.tenantService().tokens().clientCredentials(system.apiClientId(), system.apiClientSecret());
        LabOpsInfrastructure.kafka().close();
        byte[] order = WalkingSkeletonSystemTest.sample("orm-o01-v23.hl7", "MSG-ORM-0001", "MSG-ORM-BROKER-DOWN");

        var ack = MllpPeer.send(system.ordersPort(), order);

        assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo("AR");
        assertThat(ack.field("MSA", 2)).isEqualTo("MSG-ORM-BROKER-DOWN");
        assertThat(ack.text()).contains("not stored");

        var overHttp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.url("ingress-service")
                        + "/hl7/" + LabOpsSystem.TENANT + "/sandbox")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/hl7-v2").POST(HttpRequest.BodyPublishers.ofByteArray(
                        WalkingSkeletonSystemTest.sample("orm-o01-v23.hl7", "MSG-ORM-0001", "MSG-HTTP-BROKER-DOWN")))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));

        assertThat(overHttp.statusCode()).as("no 2xx for what Kafka does not have").isEqualTo(503);
        assertThat(overHttp.body()).contains("MSA|AR|MSG-HTTP-BROKER-DOWN").contains("not stored");

        String serviceRequest = """
                {"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                 "identifier": [{"system": "https://ehr.demo-hospital.example/orders", "value": "PON-FHIR-BROKER-DOWN"}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
                 "subject": {"identifier": {"system": "https://ehr.demo-hospital.example/mrn", "value": "MRN-1"}}}""";
        var overFhir = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.url("ingress-service")
                        + "/fhir/" + LabOpsSystem.TENANT + "/sandbox/ServiceRequest"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(serviceRequest)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(overFhir.statusCode()).as(overFhir.body()).isEqualTo(503);
        assertThat(overFhir.headers().firstValue("Retry-After")).isPresent();
        assertThat(overFhir.body()).contains("OperationOutcome").contains("not stored");
    }
}
