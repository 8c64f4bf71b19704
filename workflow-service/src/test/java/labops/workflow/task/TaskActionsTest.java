package labops.workflow.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import labops.schemas.topic.Topics;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.TenantFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** People work tasks through the API: versions settle races and stale pages, each kind asks for what closing it needs. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskActionsTest extends ApiAccessContract {

    @Autowired
    TaskRepository tasks;

    TenantFixture lab;
    String otherStaff;

    @BeforeAll
    void lab() {
        lab = tenant();
        otherStaff = lab.anotherStaffToken(LabOpsInfrastructure.tenantService(), "second-" + lab.tenantId());
    }

    @Test
    void twoPeopleClaimOneTaskAtOnceOneWinsTheOtherGets409WithTheCurrentState() throws Exception {
        Task task = task(Task.REVIEW_NEW_ORDER, "ROUTINE");
        var start = new CountDownLatch(1);
        var first = CompletableFuture.supplyAsync(() -> await(start, () -> act(lab.staffToken(), task, "claim", "{\"version\":0}")));
        var second = CompletableFuture.supplyAsync(() -> await(start, () -> act(otherStaff, task, "claim", "{\"version\":0}")));
        start.countDown();
        var answers = List.of(first.get(), second.get());

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
        var won = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
        var lost = answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        String winner = Api.field(won.body(), "assignee");
        assertThat(lost.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(lost.body()).as("the loser sees who has it and its version").contains("\"assignee\":\"" + winner + "\"")
                .contains("\"version\":1");
        assertThat(tasks.find(lab.tenantId(), task.id()).orElseThrow()).satisfies(t -> {
            assertThat(t.assignee()).isEqualTo(winner);
            assertThat(t.version()).isEqualTo(1);
        });
    }

    @Test
    void aStalePageCannotOverwriteADecisionAndAClosedTaskReopensOnlyWithAReason() {
        Task task = task(Task.REVIEW_NEW_ORDER, "ROUTINE");
        assertThat(act(lab.staffToken(), task, "complete", "{\"version\":0}").statusCode()).isEqualTo(200);

        var stale = act(otherStaff, task, "reject", "{\"version\":0,\"reasonCode\":\"duplicate-order\"}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("\"status\":\"done\"");

        var late = act(otherStaff, task, "reject", "{\"version\":1,\"reasonCode\":\"duplicate-order\"}");
        assertThat(late.statusCode()).as("a done task is not rejected").isEqualTo(409);

        assertThat(act(otherStaff, task, "reopen", "{\"version\":1}").statusCode()).isEqualTo(422);
        var reopened = act(otherStaff, task, "reopen", "{\"version\":1,\"reasonCode\":\"closed-in-error\"}");
        assertThat(reopened.statusCode()).isEqualTo(200);
        assertThat(reopened.body()).contains("\"status\":\"open\"").contains("\"version\":2");

        var rejected = act(otherStaff, task, "reject", "{\"version\":2,\"reasonCode\":\"duplicate-order\"}");
        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(tasks.find(lab.tenantId(), task.id()).orElseThrow().closure().reasonCode()).isEqualTo("duplicate-order");
    }

    @Test
    void aRejectionNeedsAReasonFromItsKindsList() {
        Task task = task(Task.REVIEW_NEW_ORDER, "ROUTINE");
        assertThat(act(lab.staffToken(), task, "reject", "{\"version\":0}").body()).contains("reasonCode: one of");
        assertThat(act(lab.staffToken(), task, "reject", "{\"version\":0,\"reasonCode\":\"because\"}").statusCode())
                .isEqualTo(422);
        assertThat(act(lab.staffToken(), task, "reject", "{\"version\":0,\"reasonCode\":\"other\"}").body())
                .as("other needs a note").contains("note");
        assertThat(act(lab.staffToken(), task, "reject", "{\"version\":0,\"reasonCode\":\"other\",\"note\":\"a\\u0000b\"}")
                .body()).contains("control characters");
        assertThat(act(lab.staffToken(), task, "assign", "{\"version\":0,\"assignee\":\"x y\"}").statusCode()).isEqualTo(422);
        assertThat(act(lab.staffToken(), task, "claim", "{}").statusCode()).as("no version").isEqualTo(422);
        assertThat(tasks.find(lab.tenantId(), task.id()).orElseThrow().version()).as("nothing refused changed it")
                .isZero();
    }

    @Test
    void aCriticalCallIsClosedOnlyWithWhomWasCalledAndTheValueReadBackAndTheAuditLogNamesTheCaller() {
        Task task = task(Task.CRITICAL_CALLBACK, "STAT");
        assertThat(act(lab.staffToken(), task, "reject", "{\"version\":0,\"reasonCode\":\"other\"}").body())
                .contains("cannot be rejected");
        assertThat(act(lab.staffToken(), task, "complete", "{\"version\":0}").body()).contains("fields/contactName");
        String unconfirmed = "{\"version\":0,\"fields\":{\"contactName\":\"Dr Grey\",\"contactRole\":\"attending\","
                + "\"readBack\":\"K 6.9\",\"readBackConfirmed\":\"no\"}}";
        assertThat(act(lab.staffToken(), task, "complete", unconfirmed).body()).contains("fields/readBackConfirmed");

        String called = "{\"version\":0,\"note\":\"patient name stays here\",\"fields\":{\"contactName\":\"Dr Grey\","
                + "\"contactRole\":\"attending\",\"readBack\":\"K 6.9\",\"readBackConfirmed\":\"yes\",\"attempts\":\"2\"}}";
        var done = act(lab.staffToken(), task, "complete", called);
        assertThat(done.statusCode()).isEqualTo(200);
        var closure = tasks.find(lab.tenantId(), task.id()).orElseThrow().closure();
        assertThat(closure.by()).isEqualTo("staff-" + lab.tenantId());
        assertThat(closure.fields()).containsEntry("contactName", "Dr Grey").containsEntry("readBack", "K 6.9")
                .containsEntry("attempts", "2");

        var audited = KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.AUDIT_DECISIONS)
                .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v.contains(task.id().toString()) && v.contains("task.completed")).toList();
        assertThat(audited).singleElement().satisfies(entry -> {
            assertThat(entry).contains("\"actor\":\"staff-" + lab.tenantId() + "\"");
            assertThat(entry).doesNotContain("patient name stays here").doesNotContain("Dr Grey");
        });
    }

    @Test
    void anApiClientCannotWorkTasksAndAnUnknownTaskIsNotFound() {
        Task task = task(Task.REVIEW_NEW_ORDER, "ROUTINE");
        assertThat(act(lab.clientToken(), task, "claim", "{\"version\":0}").statusCode()).isEqualTo(403);
        var unknown = api().withToken(lab.staffToken()).post("/api/tenants/" + lab.tenantId() + "/tasks/"
                + UUID.randomUUID() + "/claim", "{\"version\":0}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(api().withToken(lab.staffToken()).post("/api/tenants/" + lab.tenantId() + "/tasks/not-a-uuid/claim",
                "{\"version\":0}").statusCode()).isEqualTo(400);
    }

    private Task task(String kind, String priority) {
        Task task = Task.open(kind, lab.tenantId(), "sandbox", UUID.randomUUID(), java.time.Instant.now(), "msg-" + UUID.randomUUID(),
                "PON-" + UUID.randomUUID().toString().substring(0, 8), priority, "2345-7", null);
        assertThat(tasks.insertIfAbsent(List.of(task))).hasSize(1);
        return task;
    }

    private HttpResponse<String> act(String token, Task task, String action, String body) {
        return api().withToken(token).post("/api/tenants/" + lab.tenantId() + "/tasks/" + task.id() + "/" + action, body);
    }

    private static <T> T await(CountDownLatch start, java.util.function.Supplier<T> call) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return call.get();
    }
}
