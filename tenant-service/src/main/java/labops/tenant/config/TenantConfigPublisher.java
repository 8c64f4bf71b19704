package labops.tenant.config;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import labops.platform.tenant.TenantConfiguration;
import labops.platform.tenant.TenantConfiguration.EnvironmentConfiguration;
import labops.schemas.topic.Topics;
import labops.tenant.connection.ConnectionRepository;
import labops.tenant.connection.ConnectionSettings;
import labops.tenant.connection.Direction;
import labops.tenant.connection.Environments;
import labops.tenant.credential.ApiCredential;
import labops.tenant.credential.CredentialRepository;
import labops.tenant.release.ReleasePolicies;
import labops.tenant.secret.SecretRepository;
import labops.tenant.secret.SecretRepository.SecretInfo;
import labops.tenant.tenant.Tenant;
import labops.tenant.tenant.TenantRepository;
import labops.tenant.user.UserRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes a tenant's whole configuration to the compacted {@code labops.tenant.config} topic, read from the
 * database inside the change's transaction and acknowledged by Kafka before that transaction commits: if Kafka
 * cannot take it, the change is rolled back and the caller told. Values of secrets never go there, only the ids of
 * the valid ones.
 */
@Component
public class TenantConfigPublisher {

    private static final JsonMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final TenantRepository tenants;
    private final ConnectionRepository connections;
    private final CredentialRepository credentials;
    private final SecretRepository secrets;
    private final KafkaTemplate<String, Object> kafka;
    private final JdbcClient jdbc;
    private final UserRepository users;
    private final ReleasePolicies releasePolicies;

    TenantConfigPublisher(TenantRepository tenants, ConnectionRepository connections, CredentialRepository credentials,
                          SecretRepository secrets, KafkaTemplate<String, Object> kafka, JdbcClient jdbc,
                          UserRepository users, ReleasePolicies releasePolicies) {
        this.releasePolicies = releasePolicies;
        this.jdbc = jdbc;
        this.users = users;
        this.tenants = tenants;
        this.connections = connections;
        this.credentials = credentials;
        this.secrets = secrets;
        this.kafka = kafka;
    }

    /**
     * Must run in a transaction: a per-tenant lock held until commit orders concurrent publishers, so the last
     * snapshot on the topic is always read after the last committed change.
     */
    public void publish(String tenantId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext(?))").param(tenantId).query().singleRow();
        String json = JSON.writeValueAsString(snapshot(tenantId));
        try {
            kafka.send(Topics.TENANT_CONFIG, tenantId, json).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigNotPublishedException();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new ConfigNotPublishedException();
        }
    }

    /** The configuration every other service sees for {@code tenantId}. */
    public TenantConfiguration snapshot(String tenantId) {
        Tenant tenant = tenants.find(tenantId).orElseThrow();
        var byConnection = connections.connections(tenantId);
        var endpoints = connections.activeMllpEndpoints(tenantId);
        List<ApiCredential> clients = credentials.byTenant(tenantId);
        var environments = new ArrayList<EnvironmentConfiguration>();
        for (String environment : Environments.ALL) {
            var receive = ConnectionRepository.Connection.of(byConnection, environment, Direction.RECEIVE_ORDERS);
            var send = ConnectionRepository.Connection.of(byConnection, environment, Direction.SEND_RESULTS);
            var receiveSettings = receive.settings(ConnectionSettings.ReceiveOrders.class);
            var sendSettings = send.settings(ConnectionSettings.SendResults.class);
            environments.add(new EnvironmentConfiguration(environment,
                    clients.stream().filter(c -> c.environment().equals(environment) && c.active())
                            .map(ApiCredential::clientId).toList(),
                    new TenantConfiguration.ReceiveOrders(receive.active(),
                            endpoints.stream().filter(e -> e.environment().equals(environment))
                                    .map(e -> new TenantConfiguration.MllpEndpoint(e.id(), e.purpose(), e.port(),
                                            e.allowedSources(), e.tls(), e.acceptedTypes()))
                                    .toList(),
                            receiveSettings.signatureRequired(),
                            signingSecretIds(tenantId, environment, Direction.RECEIVE_ORDERS)),
                    sendSettings.kind() == null ? null : new TenantConfiguration.SendResults(
                            destinationId(tenantId, environment), send.active(), sendSettings.kind(),
                            sendSettings.address(), signingSecretIds(tenantId, environment, Direction.SEND_RESULTS))));
        }
        var people = users.byTenant(tenantId).stream().filter(u -> u.disabledAt() == null)
                .map(u -> new TenantConfiguration.Person(u.username(), u.role().id(), u.accessChangedAt())).toList();
        return new TenantConfiguration(tenant.id(), tenant.name(), tenant.suspended(), Instant.now(), environments,
                people, releasePolicies.find(tenantId));
    }

    /** A result destination's id: stable per tenant environment, whatever its address becomes. */
    public static UUID destinationId(String tenantId, String environment) {
        return UUID.nameUUIDFromBytes(("send-results|" + tenantId + "|" + environment).getBytes(StandardCharsets.UTF_8));
    }

    private List<UUID> signingSecretIds(String tenantId, String environment, Direction direction) {
        return secrets.valid(tenantId, environment, direction, SecretRepository.Kind.SIGNING).stream()
                .map(SecretInfo::id).toList();
    }
}
