package labops.workflow.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Every workflow endpoint, from the application's own mappings, refuses other tenants, missing scopes and no token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TaskApiAccessTest extends ApiAccessContract {

    @Autowired
    TaskRepository tasks;

    @Test
    void everyEndpointRefusesAnotherTenantAMissingScopeAndNoToken() {
        var a = tenant();
        var b = tenant();
        var queue = api().withToken(b.staffToken());
        String path = "/api/tenants/" + b.tenantId() + "/tasks";

        Task task = Task.open(Task.REVIEW_NEW_ORDER, b.tenantId(), "sandbox", UUID.randomUUID(), java.time.Instant.now(), "msg-1", "PON-1",
                "ROUTINE", "2345-7", null);
        tasks.insertIfAbsent(List.of(task));

        var violations = violations(a, b, Map.of("tenantId", b.tenantId(), "environment", "sandbox", "kind", "orders",
                "taskId", task.id().toString(), "action", "claim"), () -> Api.ok(queue.get(path)));

        assertThat(endpoints()).extracting(Object::toString).contains("GET /api/tenants/{tenantId}/tasks",
                "POST /api/tenants/{tenantId}/tasks/{taskId}/{action:claim|assign|complete|reject|reopen}",
                "GET /api/exports/{tenantId}/{environment}/{kind:orders|results|turnaround|tasks|volume}",
                "GET /api/reports/{tenantId}/{environment}", "GET /api/task-kinds",
                "POST /api/tenants/{tenantId}/environments/{environment}/orders/known");
        assertThat(violations).isEmpty();
        assertThat(queue.get(path).statusCode()).as("the tenant's own staff see their queue").isEqualTo(200);
    }
}
