package labops.tenant.connection;

import java.time.Instant;
import java.util.List;
import labops.tenant.credential.ApiCredential;
import labops.tenant.golive.GoLiveRepository;
import labops.tenant.secret.SecretRepository.SecretInfo;
import labops.tenant.tenant.Tenant;

/**
 * Everything the integration page shows a tenant, by environment and direction: what hospital IT needs from Lab Ops
 * (endpoints, credentials, secrets, URLs to register) and what Lab Ops needs from them. Never a secret value.
 */
public record IntegrationView(Tenant tenant, String tokenEndpoint, String issuer, Smart smart,
                              List<EnvironmentView> environments, List<GoLiveView> goLive) {

    /** URLs to register in the EHR for a SMART launch of the Lab Ops summary. */
    public record Smart(String launchUrl, String redirectUrl) {
    }

    public record EnvironmentView(String name, ReceiveOrdersView receiveOrders, PullDataView pullData,
                                  SendResultsView sendResults, List<ApiCredential> credentials) {
    }

    /** @param http HTTP endpoints of this environment; {@code available} is false for channels not built yet */
    public record ReceiveOrdersView(State state, List<HttpEndpoint> http, List<MllpView> mllp,
                                    boolean signatureRequired, List<SecretInfo> signingSecrets) {
    }

    public record HttpEndpoint(String channel, String url, boolean available, String note) {
    }

    /** @param acceptedTypes the message types the endpoint takes: its own narrowing, else every type of its purpose */
    public record MllpView(String id, String purpose, String address, List<String> allowedSources, boolean tls,
                           List<String> acceptedTypes, Instant createdAt, String createdBy) {
    }

    /** @param needed what Lab Ops still needs from the hospital for this direction */
    public record PullDataView(State state, ConnectionSettings.PullData settings, List<SecretInfo> clientSecrets,
                               String publicKeyJwksUrl, List<SecretInfo> keyPairs, List<Need> needed) {
    }

    public record SendResultsView(State state, ConnectionSettings.SendResults settings, List<SecretInfo> credentials,
                                  List<SecretInfo> signingSecrets, List<Need> needed) {
    }

    /** @param provided whether the hospital has given it */
    public record Need(String what, boolean provided) {
    }

    public record State(boolean active, Instant activatedAt, String activatedBy, Instant updatedAt, String updatedBy) {
    }

    /**
     * @param awaitingApproval was live, and its address changed since: out of service until a Lab Ops admin activates
     *                         it again
     * @param missing          empty when a Lab Ops admin may activate production
     */
    public record GoLiveView(Direction direction, String title, boolean live, boolean awaitingApproval,
                             List<ChecklistItem> checklist,
                             GoLiveRepository.Evidence sandboxEvidence, List<String> missing) {
    }

    public record ChecklistItem(String id, String title, GoLiveRepository.Completed completed) {
    }
}
