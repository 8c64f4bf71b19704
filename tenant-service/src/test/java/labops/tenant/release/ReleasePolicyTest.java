package labops.tenant.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import labops.schemas.topic.Topics;
import labops.tenant.TenantServiceTest;
import labops.testsupport.Api;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.junit.jupiter.api.Test;

/** A tenant's release policy: the default until changed, validated, audited and published with its configuration. */
class ReleasePolicyTest extends TenantServiceTest {

    @Test
    void aTenantRequiresReviewForSomeTestsAndWorkflowWillSeeIt() {
        var admin = api(adminToken());
        String tenant = "t-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Api.ok(admin.post("/api/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"Hospital " + tenant + "\"}"));
        String path = "/api/tenants/" + tenant + "/release-policy";
        assertThat(Api.ok(admin.get(path))).contains("\"reviewAll\":false").contains("\"releasePreliminary\":false");

        var invalid = admin.put(path, "{\"reviewAll\":false,\"reviewTests\":[\"2823-3\",\"no spaces\"]}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("reviewTests/1");

        Api.ok(admin.put(path, "{\"reviewAll\":false,\"reviewTests\":[\"2823-3\",\"2823-3\"],\"releasePreliminary\":true}"));
        assertThat(Api.ok(admin.get(path))).contains("\"reviewTests\":[\"2823-3\"]").contains("\"releasePreliminary\":true");

        String bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        String published = Eventually.await("the policy published", Duration.ofSeconds(10), () ->
                KafkaTopicReader.readAll(bootstrap, Topics.TENANT_CONFIG).stream()
                        .filter(r -> tenant.equals(new String(r.key(), StandardCharsets.UTF_8)))
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .reduce((x, y) -> y).filter(v -> v.contains("\"releasePolicy\":{\"reviewAll\":false")));
        assertThat(published).contains("\"reviewTests\":[\"2823-3\"]");
        assertThat(KafkaTopicReader.readAll(bootstrap, Topics.AUDIT_DECISIONS).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v.contains(tenant) && v.contains("release-policy.changed"))).hasSize(1);
    }
}
