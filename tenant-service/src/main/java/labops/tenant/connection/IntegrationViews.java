package labops.tenant.connection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import labops.schemas.Hl7MessageTypes;
import labops.tenant.auth.AuthProperties;
import labops.tenant.connection.IntegrationView.EnvironmentView;
import labops.tenant.connection.IntegrationView.HttpEndpoint;
import labops.tenant.connection.IntegrationView.Need;
import labops.tenant.connection.IntegrationView.State;
import labops.tenant.credential.CredentialRepository;
import labops.tenant.golive.GoLiveItem;
import labops.tenant.golive.GoLiveReadiness;
import labops.tenant.golive.GoLiveRepository;
import labops.tenant.secret.SecretRepository;
import labops.tenant.secret.SecretRepository.Kind;
import labops.tenant.tenant.TenantRepository;
import org.springframework.stereotype.Component;

/** Builds the integration page's content from what tenant-service stores. */
@Component
class IntegrationViews {

    private final TenantRepository tenants;
    private final ConnectionRepository connections;
    private final CredentialRepository credentials;
    private final SecretRepository secrets;
    private final GoLiveRepository goLive;
    private final GoLiveReadiness readiness;
    private final AuthProperties.PublicUrls urls;

    IntegrationViews(TenantRepository tenants, ConnectionRepository connections, CredentialRepository credentials,
                     SecretRepository secrets, GoLiveRepository goLive, GoLiveReadiness readiness,
                     AuthProperties properties) {
        this.tenants = tenants;
        this.connections = connections;
        this.credentials = credentials;
        this.secrets = secrets;
        this.goLive = goLive;
        this.readiness = readiness;
        this.urls = properties.publicUrls();
    }

    IntegrationView view(String tenantId) {
        var tenant = tenants.require(tenantId);
        var all = connections.connections(tenantId);
        var endpoints = connections.activeMllpEndpoints(tenantId);
        var clients = credentials.byTenant(tenantId);
        var environments = new ArrayList<EnvironmentView>();
        for (String environment : Environments.ALL) {
            var receive = ConnectionRepository.Connection.of(all, environment, Direction.RECEIVE_ORDERS);
            var pull = ConnectionRepository.Connection.of(all, environment, Direction.PULL_DATA);
            var send = ConnectionRepository.Connection.of(all, environment, Direction.SEND_RESULTS);
            var pullSettings = pull.settings(ConnectionSettings.PullData.class);
            var sendSettings = send.settings(ConnectionSettings.SendResults.class);
            var keyPairs = secrets.valid(tenantId, environment, Direction.PULL_DATA, Kind.PRIVATE_KEY);
            var outboundSigning = secrets.valid(tenantId, environment, Direction.SEND_RESULTS, Kind.SIGNING);
            var clientSecrets = secrets.valid(tenantId, environment, Direction.PULL_DATA, Kind.CLIENT_SECRET);
            environments.add(new EnvironmentView(environment,
                    new IntegrationView.ReceiveOrdersView(state(receive), http(tenantId, environment),
                            endpoints.stream().filter(e -> e.environment().equals(environment)).map(this::mllp).toList(),
                            receive.settings(ConnectionSettings.ReceiveOrders.class).signatureRequired(),
                            secrets.valid(tenantId, environment, Direction.RECEIVE_ORDERS, Kind.SIGNING)),
                    new IntegrationView.PullDataView(state(pull), pullSettings, clientSecrets,
                            keyPairs.isEmpty() ? null : urls.issuer() + "/jwks/" + tenantId + "/" + environment + "/pull-data",
                            keyPairs, List.of(
                                    new Need("FHIR base URL or issuer", pullSettings.fhirBaseUrl() != null),
                                    new Need("Client id registered for Lab Ops", pullSettings.clientId() != null),
                                    new Need("Approved read scopes", pullSettings.scopes() != null
                                            && !pullSettings.scopes().isEmpty()),
                                    new Need("Client secret, or our public key registered",
                                            !clientSecrets.isEmpty() || !keyPairs.isEmpty()),
                                    new Need("Test patient", pullSettings.testPatient() != null))),
                    new IntegrationView.SendResultsView(state(send), sendSettings,
                            secrets.valid(tenantId, environment, Direction.SEND_RESULTS, Kind.DESTINATION_CREDENTIAL),
                            outboundSigning, List.of(
                                    new Need("Destination endpoint", sendSettings.kind() != null
                                            && ("result-api".equals(sendSettings.kind()) || sendSettings.address() != null)),
                                    new Need("Signing secret (Lab Ops creates it here; you verify with it)",
                                            !"webhook".equals(sendSettings.kind()) || !outboundSigning.isEmpty()))),
                    clients.stream().filter(c -> c.environment().equals(environment)).toList()));
        }
        var goLiveViews = Arrays.stream(Direction.values()).map(direction -> {
            var completed = goLive.completed(tenantId, direction);
            var production = ConnectionRepository.Connection.of(all, Environments.PRODUCTION, direction);
            return new IntegrationView.GoLiveView(direction, direction.title(), production.active(),
                    !production.active() && production.activatedAt() != null,
                    Arrays.stream(GoLiveItem.values()).map(item -> new IntegrationView.ChecklistItem(item.id(),
                            item.title(), completed.stream().filter(c -> c.item() == item).findFirst().orElse(null)))
                            .toList(),
                    goLive.evidence(tenantId, direction).orElse(null), readiness.missing(tenantId, direction));
        }).toList();
        return new IntegrationView(tenant, urls.issuer() + "/oauth2/token", urls.issuer(),
                new IntegrationView.Smart(urls.console() + "/smart/" + tenantId + "/launch",
                        urls.console() + "/smart/callback"),
                environments, goLiveViews);
    }

    IntegrationView.MllpView mllp(MllpEndpoint endpoint) {
        return new IntegrationView.MllpView(endpoint.id().toString(), endpoint.purpose(),
                "mllp://" + urls.mllpHost() + ":" + endpoint.port(), endpoint.allowedSources(), endpoint.tls(),
                endpoint.acceptedTypes().isEmpty()
                        ? Hl7MessageTypes.ACCEPTED.getOrDefault(endpoint.purpose(), List.of()) : endpoint.acceptedTypes(),
                endpoint.createdAt(), endpoint.createdBy());
    }

    private List<HttpEndpoint> http(String tenantId, String environment) {
        String path = "/" + tenantId + "/" + environment;
        return List.of(
                new HttpEndpoint("HL7 v2 over HTTP", urls.ingress() + "/hl7" + path, true,
                        "POST an ER7 message with Content-Type application/hl7-v2 and a bearer token; the ACK is the body"),
                new HttpEndpoint("FHIR R4", urls.ingress() + "/fhir" + path, true,
                        "create ServiceRequest, Patient, Specimen or POST a transaction Bundle (JSON or XML) with a "
                                + "bearer token; CapabilityStatement at /metadata; errors are OperationOutcomes"),
                new HttpEndpoint("Message status", urls.audit() + "/api/tenants/" + tenantId + "/environments/"
                        + environment + "/messages/{id}", true,
                        "GET with the token the message was sent with: received, normalized (into which events) or "
                                + "rejected (why), by the Lab Ops id each answer carries"),
                new HttpEndpoint("REST JSON orders", urls.ingress() + "/api/orders" + path, true,
                        "POST {\"orders\": [...]} as JSON with a bearer token (Idempotency-Key honoured); 202 gives "
                                + "each order's Lab Ops id; the format, with an example, is in " + urls.ingress()
                                + "/v3/api-docs; errors are problem+json naming each field by JSON Pointer"),
                new HttpEndpoint("CSV/XLSX import", urls.ingress() + "/api/imports" + path, true,
                        "POST a CSV file (UTF-8 or Windows-1252) or an XLSX workbook (?sheet=name, else its first "
                                + "sheet) with a bearer token; each row is checked through your column mapping, "
                                + "mapping profile and existing orders, and waits for a staff member's approval "
                                + "before it is an order"),
                new HttpEndpoint("Exports", urls.workflow() + "/api/exports" + path + "/{orders|results}", true,
                        "GET ?from=yyyy-mm-dd&to=yyyy-mm-dd&format=csv|xlsx with a bearer token (results.read): your "
                                + "orders with their status, or every result observation, received in those days"));
    }

    private static State state(ConnectionRepository.Connection connection) {
        return new State(connection.active(), connection.activatedAt(), connection.activatedBy(),
                connection.updatedAt(), connection.updatedBy());
    }
}
