package labops.workflow.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.events.ResultStatus;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import labops.testsupport.ConfluentAvroReader;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.SampleEvents;
import labops.testsupport.TenantFixture;
import labops.workflow.CanonicalEvents;
import labops.workflow.LifecycleTopic;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Results reach {@code labops.results.released} (what delivery reads) only under the tenant's release policy: a final
 * result at once by default, a preliminary one not at all; with review required, only once a person releases it, and a
 * retracted one never.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResultReleaseTest extends ApiAccessContract {

    @Test
    void byDefaultAFinalResultIsReleasedOnArrivalAndAPreliminaryOneIsNot() throws Exception {
        TenantFixture lab = tenant();
        CanonicalEvents.send(Topics.CANONICAL_ORDERS, List.of(SampleEvents.labOrder(lab.tenantId(), "PON-REL")));
        LifecycleTopic.statuses(lab.tenantId(), "PON-REL", 1);
        LabResultEvent preliminary = SampleEvents.labResult(lab.tenantId(), "PON-REL", Interpretation.HIGH);
        preliminary.setStatus(ResultStatus.PRELIMINARY);
        LabResultEvent last = SampleEvents.labResult(lab.tenantId(), "PON-REL", Interpretation.HIGH);
        CanonicalEvents.send(Topics.CANONICAL_RESULTS, List.of(preliminary, last));

        var released = released(lab.tenantId(), 1);
        assertThat(released).extracting(r -> r.get("eventId").toString()).containsExactly(last.getEventId().toString());
        assertThat(LifecycleTopic.statuses(lab.tenantId(), "PON-REL", 4)).containsExactly("RECEIVED", "IN_PROGRESS",
                "RESULTED", "RELEASED");
        assertThat(released(lab.tenantId(), 1)).as("the preliminary result is withheld").hasSize(1);
    }

    @Test
    void withReviewRequiredAResultWaitsForAPersonWhoReleasesOrRetractsIt() throws Exception {
        TenantFixture lab = tenant();
        var admin = LabOpsInfrastructure.tenantService().api(lab.adminToken());
        Api.ok(admin.put("/api/tenants/" + lab.tenantId() + "/release-policy",
                "{\"reviewAll\":true,\"reviewTests\":[],\"releasePreliminary\":false}"));
        var staff = api().withToken(lab.staffToken());
        // The policy reaches workflow through labops.tenant.config: until it does, a result would be released.
        Eventually.await("workflow sees the policy", Duration.ofSeconds(30), () -> Optional.ofNullable(
                policyKnown(lab.tenantId()) ? true : null));

        LabResultEvent kept = SampleEvents.labResult(lab.tenantId(), "PON-KEEP", Interpretation.CRITICAL_HIGH);
        LabResultEvent refused = SampleEvents.labResult(lab.tenantId(), "PON-DROP", Interpretation.NORMAL);
        CanonicalEvents.send(Topics.CANONICAL_RESULTS, List.of(kept, refused));
        String queue = Eventually.await("two review tasks", Duration.ofSeconds(30), () -> {
            String open = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks?q=PON-"));
            return open.split("review-results", -1).length == 3 ? Optional.of(open) : Optional.empty();
        });
        assertThat(released(lab.tenantId(), 0)).isEmpty();

        String keep = reviewTask(staff, lab, "PON-KEEP");
        var byStaff = staff.post("/api/tenants/" + lab.tenantId() + "/tasks/" + keep + "/complete", "{\"version\":0}");
        assertThat(byStaff.statusCode()).as("lab staff without results.release").isEqualTo(403);
        var reviewer = api().withToken(lab.anotherPerson(LabOpsInfrastructure.tenantService(),
                "reviewer-" + lab.tenantId(), "lab-reviewer"));
        Api.ok(reviewer.post("/api/tenants/" + lab.tenantId() + "/tasks/" + keep + "/complete", "{\"version\":0}"));
        var rejected = reviewer.post("/api/tenants/" + lab.tenantId() + "/tasks/" + reviewTask(staff, lab, "PON-DROP")
                + "/reject", "{\"version\":0,\"reasonCode\":\"specimen-problem\"}");
        assertThat(rejected.statusCode()).isEqualTo(200);

        assertThat(released(lab.tenantId(), 1)).extracting(r -> r.get("eventId").toString())
                .containsExactly(kept.getEventId().toString());
        assertThat(queue).as("a critical result's review is STAT").contains("\"priority\":\"STAT\"");
        var reopen = reviewer.post("/api/tenants/" + lab.tenantId() + "/tasks/" + reviewTask(staff, lab, "PON-KEEP", "done")
                + "/reopen", "{\"version\":1,\"reasonCode\":\"closed-in-error\"}");
        assertThat(reopen.statusCode()).as("a released result is not reopened").isEqualTo(422);
    }

    @Test
    void aResultAPersonEnteredWaitsForAnotherPersonEvenUnderTheDefaultPolicy() throws Exception {
        TenantFixture lab = tenant();
        String enteredBy = "reviewer-" + lab.tenantId();
        var author = api().withToken(lab.anotherPerson(LabOpsInfrastructure.tenantService(), enteredBy,
                "lab-reviewer"));
        var other = api().withToken(lab.anotherPerson(LabOpsInfrastructure.tenantService(),
                "second-" + lab.tenantId(), "lab-reviewer"));
        LabResultEvent entered = SampleEvents.labResult(lab.tenantId(), "PON-MINE", Interpretation.HIGH);
        entered.setEnteredBy(enteredBy);
        CanonicalEvents.send(Topics.CANONICAL_RESULTS, List.of(entered));

        var staff = api().withToken(lab.staffToken());
        Eventually.await("the review task", Duration.ofSeconds(30), () -> {
            String open = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks?q=PON-MINE"));
            return open.contains("review-results") ? Optional.of(open) : Optional.empty();
        });
        String task = reviewTask(staff, lab, "PON-MINE");
        var self = author.post("/api/tenants/" + lab.tenantId() + "/tasks/" + task + "/complete", "{\"version\":0}");
        assertThat(self.statusCode()).as("no self-verification").isEqualTo(403);
        assertThat(self.body()).contains("you entered this result: another person must release it");
        Api.ok(other.post("/api/tenants/" + lab.tenantId() + "/tasks/" + task + "/complete", "{\"version\":0}"));
        var released = released(lab.tenantId(), 1);
        assertThat(released).extracting(r -> r.get("eventId").toString()).containsExactly(entered.getEventId().toString());
        assertThat(released.get(0).get("enteredBy").toString()).isEqualTo(enteredBy);
    }

    private boolean policyKnown(String tenant) {
        return tenants.find(tenant).map(t -> t.release().reviewAll()).orElse(false);
    }

    @org.springframework.beans.factory.annotation.Autowired
    labops.platform.tenant.TenantDirectory tenants;

    private static String reviewTask(Api staff, TenantFixture lab, String order, String... status) {
        String tasks = Api.ok(staff.get("/api/tenants/" + lab.tenantId() + "/tasks?q=" + order
                + (status.length == 0 ? "" : "&status=" + status[0])));
        int at = tasks.indexOf("\"kind\":\"review-results\"");
        int start = tasks.lastIndexOf('{', at);
        return Api.field(tasks.substring(start), "id");
    }

    /** The tenant's released results, once there are at least {@code atLeast}. */
    private static List<GenericRecord> released(String tenant, int atLeast) {
        var reader = new ConfluentAvroReader(LabOpsInfrastructure.registry().confluentUrl());
        return Eventually.await(atLeast + " released results", Duration.ofSeconds(30), () -> {
            var found = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.RESULTS_RELEASED)
                    .stream().map(r -> reader.decode(r.value()))
                    .filter(e -> e.get("tenantId").toString().equals(tenant)).toList();
            return found.size() >= atLeast ? Optional.of(found) : Optional.empty();
        });
    }
}
