package labops.workflow.patient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import labops.events.Identifier;
import labops.events.PatientAction;
import labops.events.PatientEvent;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SampleEvents;
import labops.testsupport.TenantFixture;
import labops.workflow.CanonicalEvents;
import labops.workflow.LifecycleTopic;
import labops.workflow.WorkflowDeadLetters;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The patient behind a task: shown to lab staff and audited with who looked, refused to roles without patient data
 * and to other tenants; another birth date or a merge becomes a patient-identity task; a poison record costs itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PatientsTest extends ApiAccessContract {

    @Test
    void staffSeeTheOrdersPatientEachViewAuditedOthersDoNot() throws Exception {
        TenantFixture lab = tenant();
        CanonicalEvents.send(Topics.CANONICAL_PATIENTS, List.of(SampleEvents.patient(lab.tenantId(), "ROE",
                LocalDate.of(1950, 1, 2))));
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(SampleEvents.labOrder(lab.tenantId(), "PON-PAT")));
        LifecycleTopic.changes(lab.tenantId(), "PON-PAT", 1);
        var staff = api().withToken(lab.staffToken());
        String task = task(staff, lab, "review-new-order");

        String patient = Eventually.await("the patient stored", Duration.ofSeconds(30), () -> {
            var answer = staff.get("/api/tenants/" + lab.tenantId() + "/tasks/" + task + "/patient");
            return answer.statusCode() == 200 ? Optional.of(answer.body()) : Optional.empty();
        });

        assertThat(patient).contains("\"family\":\"ROE\"", "\"birthDate\":\"1950-01-02\"",
                "\"address\":\"1 Sample Street, 00000, Testville\"");
        assertThat(api().withToken(lab.adminToken()).get("/api/tenants/" + lab.tenantId() + "/tasks/" + task
                + "/patient").statusCode()).as("a tenant admin's role has no patient data").isEqualTo(403);
        TenantFixture other = tenant();
        assertThat(api().withToken(other.staffToken()).get("/api/tenants/" + lab.tenantId() + "/tasks/" + task
                + "/patient").statusCode()).isEqualTo(404);
        String viewed = Eventually.await("the view in the audit log", Duration.ofSeconds(30), () ->
                KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.AUDIT_DECISIONS)
                        .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .filter(json -> json.contains("\"patient.viewed\"") && json.contains(task)).findFirst());
        assertThat(viewed).contains("\"actor\":\"staff-" + lab.tenantId() + "\"").doesNotContain("ROE", "1950");
    }

    @Test
    void anotherBirthDateOrAMergeIsATaskAndAPoisonRecordCostsOnlyItself() throws Exception {
        TenantFixture lab = tenant();
        CanonicalEvents.send(Topics.CANONICAL_PATIENTS, List.of(SampleEvents.patient(lab.tenantId(), "ROE",
                LocalDate.of(1950, 1, 2))));
        var staff = api().withToken(lab.staffToken());
        Eventually.await("the patient stored", Duration.ofSeconds(30), () -> Optional.ofNullable(
                Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks")).equals("[]") ? true : null));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LabOpsInfrastructure.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CANONICAL_PATIENTS, lab.tenantId(),
                    "not a patient\0".getBytes(StandardCharsets.UTF_8))).get();
        }
        PatientEvent merge = SampleEvents.patient(lab.tenantId(), "ROE", LocalDate.of(1950, 1, 2));
        merge.setAction(PatientAction.MERGE);
        merge.setMergedIdentifiers(List.of(new Identifier("MRN-OLD-7", "GENERAL-HOSPITAL", "MR")));
        CanonicalEvents.send(Topics.CANONICAL_PATIENTS, List.of(SampleEvents.patient(lab.tenantId(), "ROE",
                LocalDate.of(1950, 2, 1)), merge));

        String tasks = Eventually.await("two identity tasks", Duration.ofSeconds(30), () -> {
            String open = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks"));
            return open.split("patient-identity", -1).length == 3 ? Optional.of(open) : Optional.empty();
        });
        assertThat(tasks).contains("another name or birth date", "merged 1 record(s)").doesNotContain("ROE", "1950",
                "MRN-TEST-1");
        String identity = task(staff, lab, "patient-identity");
        assertThat(Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks/" + identity + "/patient")))
                .as("the patient as the last event (the merge) has them").contains("\"birthDate\":\"1950-01-02\"");
        var dead = WorkflowDeadLetters.first(lab.tenantId());
        assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(),
                StandardCharsets.UTF_8)).isEqualTo(Topics.CANONICAL_PATIENTS);
    }

    private static String task(Api staff, TenantFixture lab, String kind) {
        String tasks = Eventually.await("a " + kind + " task", Duration.ofSeconds(30), () -> {
            String open = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks"));
            return open.contains(kind) ? Optional.of(open) : Optional.empty();
        });
        int at = tasks.indexOf("\"kind\":\"" + kind + "\"");
        return Api.field(tasks.substring(tasks.lastIndexOf('{', at)), "id");
    }
}
