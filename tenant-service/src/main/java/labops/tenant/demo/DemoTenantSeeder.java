package labops.tenant.demo;

import java.util.List;
import java.util.UUID;
import labops.tenant.connection.ConnectionRepository;
import labops.tenant.connection.MllpEndpoint;
import labops.tenant.connection.ResultDestination;
import labops.tenant.connection.SigningSecrets;
import labops.tenant.tenant.TenantRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Seeds the demo tenant's sandbox: an orders and a results MLLP endpoint and a signed webhook. Idempotent. */
@Component
@ConditionalOnProperty("labops.demo.enabled")
@EnableConfigurationProperties(DemoTenantProperties.class)
class DemoTenantSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoTenantSeeder.class);
    private static final String SANDBOX = "sandbox";

    private final DemoTenantProperties demo;
    private final TenantRepository tenants;
    private final ConnectionRepository connections;

    DemoTenantSeeder(DemoTenantProperties demo, TenantRepository tenants, ConnectionRepository connections) {
        this.demo = demo;
        this.tenants = tenants;
        this.connections = connections;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (tenants.exists(demo.tenantId())) {
            log.info("event=demo-tenant-present tenant={}", demo.tenantId());
            return;
        }
        tenants.create(demo.tenantId(), "Demo Hospital");
        connections.addMllpEndpoint(new MllpEndpoint(UUID.randomUUID(), demo.tenantId(), SANDBOX, "orders",
                demo.ordersPort(), List.of()));
        connections.addMllpEndpoint(new MllpEndpoint(UUID.randomUUID(), demo.tenantId(), SANDBOX, "results",
                demo.resultsPort(), List.of()));
        String secret = demo.webhookSecret() == null || demo.webhookSecret().isBlank()
                ? SigningSecrets.generate() : demo.webhookSecret();
        connections.addWebhookDestination(new ResultDestination(UUID.randomUUID(), demo.tenantId(), SANDBOX,
                demo.webhookUrl(), List.of(new ResultDestination.Secret(UUID.randomUUID(), secret))));
        log.info("event=demo-tenant-seeded tenant={} ordersPort={} resultsPort={}", demo.tenantId(), demo.ordersPort(),
                demo.resultsPort());
    }
}
