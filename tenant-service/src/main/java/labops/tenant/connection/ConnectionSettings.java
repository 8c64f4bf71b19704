package labops.tenant.connection;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/** What each direction's connection stores besides secrets (those are sealed in {@code connection_secret}). */
public final class ConnectionSettings {

    private ConnectionSettings() {
    }

    /** @param signatureRequired HTTP pushes must carry a valid Standard Webhooks signature */
    public record ReceiveOrders(boolean signatureRequired) {
    }

    /**
     * @param fhirBaseUrl    the hospital's FHIR base URL
     * @param issuer         their authorization server (SMART issuer), when it differs from the FHIR base
     * @param clientId       the client id they registered for Lab Ops
     * @param authentication {@code client-secret} or {@code private-key-jwt} (Lab Ops signs with its key pair)
     * @param scopes         the read scopes they approved, e.g. {@code system/ServiceRequest.rs}
     * @param testPatient    a test patient id for sandbox checks
     */
    public record PullData(
            @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String fhirBaseUrl,
            @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String issuer,
            String clientId,
            @Pattern(regexp = "client-secret|private-key-jwt", message = "must be client-secret or private-key-jwt")
            String authentication,
            List<@Pattern(regexp = READ_SCOPE, message = "must be a read-only SMART scope such as "
                    + "system/ServiceRequest.rs (pulling never writes)") String> scopes,
            String testPatient) {
    }

    /** SMART v1 {@code .read} and v2 {@code .r}/{@code .s}/{@code .rs} scopes: Lab Ops only ever reads. */
    static final String READ_SCOPE = "(patient|user|system)/([A-Za-z]+|\\*)\\.(read|rs|r|s)";

    /**
     * @param kind           {@code webhook}, {@code fhir}, {@code hl7-mllp} or {@code result-api} (the tenant pulls)
     * @param address        URL (webhook, FHIR) or {@code host:port} (MLLP); none for the result API
     * @param authentication for FHIR destinations: {@code none}, {@code bearer} or {@code basic}
     * @param username       for basic authentication
     */
    public record SendResults(
            @NotBlank @Pattern(regexp = "webhook|fhir|hl7-mllp|result-api",
                    message = "must be webhook, fhir, hl7-mllp or result-api") String kind,
            String address,
            @Pattern(regexp = "none|bearer|basic", message = "must be none, bearer or basic") String authentication,
            String username) {
    }
}
