package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import labops.testsupport.Processes;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs last of all system tests: it kills the shared broker (its own JVM) under load and starts it again, then stops
 * it. A sender is never told AA (MLLP) or 2xx (HTTP) for what Kafka did not take, and what it was told AA for survives
 * the crash exactly once.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerDownSystemTest {

    private static final int SENDERS = 8;
    private static final int RATE = 1_000;

    /**
     * Senders on MLLP connections at {@value #RATE} messages a second in all, each resending a message until it is
     * AA'd (as an interface engine does); the broker is SIGKILLed 8 s in and started again 10 s later.
     */
    @Test
    @Order(1)
    void aBrokerCrashUnderLoadLosesAndRepeatsNoAcknowledgedMessage() throws Exception {
        var system = LabOpsSystem.get();
        var signing = RestOrdersSystemTest.SigningHospital.create(system);
        String signedOrder = signing.order("PON-OUTAGE");
        var signature = signing.sign("msg_" + UUID.randomUUID(), signedOrder);
        String rest = system.url("ingress-service") + signing.path();
        String prefix = "CRASH-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase() + "-";
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        var refusals = new AtomicLong();
        var sending = new AtomicBoolean(true);
        long started = System.nanoTime();
        var senders = new ArrayList<Thread>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            var thread = new Thread(() -> {
                MllpPeer.Connection connection = null;
                for (long i = 0; sending.get(); i++) {
                    // Paced: message i of this sender is due at i * SENDERS / RATE seconds.
                    long due = started + i * SENDERS * 1_000_000_000L / RATE;
                    Processes.pause(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
                    String id = prefix + sender + "-" + i;
                    while (sending.get()) {
                        try {
                            if (connection == null) {
                                connection = new MllpPeer.Connection(system.ordersPort());
                            }
                            if ("AA".equals(connection.send(ConsumerFaultsSystemTest.order(id)).field("MSA", 1))) {
                                acknowledged.add(id);
                                break;
                            }
                        } catch (IOException e) {
                            closeQuietly(connection);
                            connection = null;
                        }
                        refusals.incrementAndGet();
                        Processes.pause(Duration.ofMillis(250));
                    }
                }
                closeQuietly(connection);
            }, "sender-" + s);
            thread.start();
            senders.add(thread);
        }

        Processes.pause(Duration.ofSeconds(8));
        int beforeCrash = acknowledged.size();
        LabOpsInfrastructure.kafka().kill();
        // A signed push Kafka cannot take: 503, and its webhook id not spent (issue 28).
        var duringCrash = RestOrdersSystemTest.push(rest, signing.token(), signedOrder, signature);
        Processes.pause(Duration.ofSeconds(10));
        int duringOutage = acknowledged.size() - beforeCrash;
        LabOpsInfrastructure.kafka().restart();
        Processes.pause(Duration.ofSeconds(10));
        assertThat(duringCrash.statusCode()).as(duringCrash.body()).isEqualTo(503);
        var retried = Eventually.await("the signed push retried after the outage", Duration.ofSeconds(60), () -> {
            var answer = RestOrdersSystemTest.push(rest, signing.token(), signedOrder, signature);
            return answer.statusCode() == 503 ? Optional.empty() : Optional.of(answer);
        });
        assertThat(retried.statusCode()).as("the same webhook id, once stored: " + retried.body()).isEqualTo(202);
        var replayed = RestOrdersSystemTest.push(rest, signing.token(), signedOrder, signature);
        assertThat(replayed.statusCode()).as("and then a replay").isEqualTo(401);
        sending.set(false);
        for (Thread sender : senders) {
            sender.join();
        }
        System.out.printf("broker crash: %d acknowledged in the 8 s before it (%.0f msg/s), %d while it was down,"
                + " %d in all; %d answers other than AA resent%n", beforeCrash, beforeCrash / 8.0, duringOutage,
                acknowledged.size(), refusals.get());
        assertThat(refusals.get()).as("the crash was felt by the senders").isPositive();

        var avro = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        Eventually.await("every acknowledged message a canonical event", Duration.ofSeconds(180), () -> {
            var byMessage = ConsumerFaultsSystemTest.patientEvents(avro, prefix);
            return byMessage.keySet().containsAll(acknowledged) ? Optional.of(byMessage) : Optional.empty();
        });
        Processes.pause(Duration.ofSeconds(5));
        var events = ConsumerFaultsSystemTest.patientEvents(avro, prefix);
        assertThat(events.keySet()).as("0 acknowledged messages lost").containsAll(acknowledged);
        assertThat(events).as("0 duplicate canonical events").allSatisfy((id, count) -> assertThat(count).isOne());
    }

    private static void closeQuietly(MllpPeer.Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    @Test
    @Order(2)
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
