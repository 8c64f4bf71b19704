package labops.ingress.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import labops.ingress.IngressTest;
import labops.platform.tenant.TenantDirectory;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 28's audit row: anyone without a token could append an entry to any tenant's chain per request. Now 10,000
 * refusals from one source are one entry, and from 500 sources at most {@value AccessRefusals#KEYS_PER_TENANT} + 1.
 */
class AccessRefusalsTest extends IngressTest {

    @Autowired
    RawIntake intake;
    @Autowired
    AccessRefusals refusals;
    @Autowired
    TenantDirectory directory;

    @Test
    void tenThousandRefusalsAddABoundedNumberOfEntriesToTheTenantsChain() {
        String oneSource = newTenant(admin());
        String manySources = newTenant(admin());
        Eventually.await("the tenants known to ingress", Duration.ofSeconds(10), () ->
                directory.find(oneSource).isPresent() && directory.find(manySources).isPresent()
                        ? Optional.of(true) : Optional.empty());

        for (int i = 0; i < 10_000; i++) {
            intake.accessRefused("rest", oneSource, "sandbox", "203.0.113.9", "401 no bearer token");
            intake.accessRefused("rest", manySources, "sandbox", "198.51.100." + (i % 500), "401 no bearer token");
        }
        refusals.flush();

        List<String> one = Eventually.await("the aggregated entry", Duration.ofSeconds(20), () -> {
            var entries = refusalsOf(oneSource);
            return entries.isEmpty() ? Optional.empty() : Optional.of(entries);
        });
        assertThat(one).singleElement().satisfies(e -> assertThat(e).contains("rest from 203.0.113.9")
                .contains("10000 attempts in this minute"));
        List<String> many = Eventually.await("the aggregated entries", Duration.ofSeconds(20), () -> {
            var entries = refusalsOf(manySources);
            return entries.size() < AccessRefusals.KEYS_PER_TENANT + 1 ? Optional.empty() : Optional.of(entries);
        });
        System.out.printf("10,000 refusals: %d entry from one source, %d entries from 500 sources%n", one.size(),
                many.size());
        assertThat(many).hasSize(AccessRefusals.KEYS_PER_TENANT + 1);
        assertThat(many).anySatisfy(e -> assertThat(e).contains("other sources"));
    }

    private static List<String> refusalsOf(String tenant) {
        return KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(), Topics.AUDIT_DECISIONS)
                .stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v.contains("\"" + tenant + "\"") && v.contains("intake.access-refused"))
                .toList();
    }
}
