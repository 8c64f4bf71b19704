package labops.tenant.demo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import labops.schemas.auth.Role;
import labops.tenant.config.Changes;
import labops.tenant.connection.ConnectionRepository;
import labops.tenant.connection.ConnectionSettings;
import labops.tenant.connection.Direction;
import labops.tenant.connection.Environments;
import labops.tenant.connection.MllpEndpoint;
import labops.tenant.credential.ApiCredential;
import labops.tenant.credential.CredentialRepository;
import labops.tenant.secret.KeyPairs;
import labops.tenant.secret.SecretGenerator;
import labops.tenant.secret.SecretRepository;
import labops.tenant.tenant.TenantRepository;
import labops.tenant.user.AppUser;
import labops.tenant.user.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Seeds the demo tenant: sandbox with orders and results MLLP endpoints, an API client, a signed webhook and a
 * pull-data connection; production configured but not live (its go-live checklist open); a Lab Ops admin and a
 * tenant admin to sign in with. Idempotent: an existing demo tenant is left as it is.
 */
@Component
@ConditionalOnProperty("labops.demo.enabled")
@EnableConfigurationProperties(DemoTenantProperties.class)
class DemoTenantSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoTenantSeeder.class);
    private static final String ACTOR = "demo-seeder";
    private static final String SANDBOX = Environments.SANDBOX;
    private static final String PRODUCTION = Environments.PRODUCTION;

    private final DemoTenantProperties demo;
    private final TenantRepository tenants;
    private final ConnectionRepository connections;
    private final CredentialRepository credentials;
    private final SecretRepository secrets;
    private final UserRepository users;
    private final PasswordEncoder hashes;
    private final Changes changes;

    DemoTenantSeeder(DemoTenantProperties demo, TenantRepository tenants, ConnectionRepository connections,
                     CredentialRepository credentials, SecretRepository secrets, UserRepository users,
                     PasswordEncoder hashes, Changes changes) {
        this.demo = demo;
        this.tenants = tenants;
        this.connections = connections;
        this.credentials = credentials;
        this.secrets = secrets;
        this.users = users;
        this.hashes = hashes;
        this.changes = changes;
    }

    @Override
    public void run(ApplicationArguments args) {
        String tenant = demo.tenantId();
        if (tenants.exists(tenant)) {
            log.info("event=demo-tenant-present tenant={}", tenant);
            return;
        }
        changes.apply(ACTOR, tenant, null, "tenant.created", () -> {
            seed(tenant);
            return tenant;
        }, t -> "demo tenant seeded: both environments, all three directions; production not live");
        log.info("event=demo-tenant-seeded tenant={} ordersPort={} resultsPort={}", tenant, demo.ordersPort(),
                demo.resultsPort());
    }

    private void seed(String tenant) {
        tenants.create(tenant, "Demo Hospital");
        connections.createAll(tenant, ACTOR);
        mllp(tenant, SANDBOX, "orders", demo.ordersPort(), List.of());
        mllp(tenant, SANDBOX, "results", demo.resultsPort(), List.of());
        mllp(tenant, PRODUCTION, "orders", demo.productionOrdersPort(), List.of("127.0.0.1/32"));

        for (String environment : Environments.ALL) {
            boolean sandbox = environment.equals(SANDBOX);
            connections.updateSettings(tenant, environment, Direction.PULL_DATA, new ConnectionSettings.PullData(
                    "http://127.0.0.1:8300/fhir/" + environment, null, "labops-demo-" + environment,
                    "private-key-jwt", List.of("system/ServiceRequest.rs", "system/Patient.rs"),
                    sandbox ? "demo-patient-1" : null), ACTOR);
            connections.updateSettings(tenant, environment, Direction.SEND_RESULTS, new ConnectionSettings.SendResults(
                    "webhook", sandbox ? demo.webhookUrl() : demo.productionWebhookUrl(), null, null), ACTOR);
            secrets.replace(tenant, environment, Direction.PULL_DATA, SecretRepository.Kind.PRIVATE_KEY,
                    KeyPairs.generate().toJSONString(), Duration.ZERO, ACTOR);
            String signing = sandbox && demo.webhookSecret() != null && !demo.webhookSecret().isBlank()
                    ? demo.webhookSecret() : SecretGenerator.signingSecret();
            secrets.replace(tenant, environment, Direction.SEND_RESULTS, SecretRepository.Kind.SIGNING, signing,
                    Duration.ZERO, ACTOR);
        }
        if (demo.apiClientId() != null && !demo.apiClientId().isBlank()) {
            credentials.create(new ApiCredential(UUID.randomUUID(), tenant, SANDBOX, demo.apiClientId(),
                    "Demo EHR (sandbox)", List.of("orders.write", "results.read"), null, ACTOR, null, null, List.of()),
                    hashes.encode(demo.apiClientSecret()));
        }
        user("admin", "Demo Lab Ops admin", Role.LABOPS_ADMIN, null, demo.adminPassword());
        user("demo-admin", "Demo Hospital admin", Role.TENANT_ADMIN, tenant, demo.tenantAdminPassword());
        user("demo-staff", "Demo lab staff", Role.LAB_STAFF, tenant, demo.staffPassword());
        user("demo-reviewer", "Demo lab reviewer", Role.LAB_REVIEWER, tenant, demo.staffPassword());
    }

    private void mllp(String tenant, String environment, String purpose, int port, List<String> sources) {
        connections.addMllpEndpoint(new MllpEndpoint(UUID.randomUUID(), tenant, environment, purpose, port, sources,
                false, List.of(), null, ACTOR));
    }

    private void user(String username, String name, Role role, String tenant, String password) {
        if (password != null && !password.isBlank()) {
            users.create(AppUser.created(username, name, role, tenant, ACTOR),
                    hashes.encode(password));
        }
    }
}
