package labops.ingress.endpoint;

import java.util.List;
import java.util.UUID;

/** An MLLP endpoint as tenant-service describes it. */
public record MllpEndpoint(UUID id, String tenantId, String environment, String purpose, int port,
                           List<String> allowedSources) {

    public static final String ORDERS = "orders";
    public static final String RESULTS = "results";

    /** True when the sender's IP may use this endpoint; an empty allow-list admits any source. */
    public boolean admits(String sourceIp) {
        return allowedSources == null || allowedSources.isEmpty() || allowedSources.contains(sourceIp);
    }
}
