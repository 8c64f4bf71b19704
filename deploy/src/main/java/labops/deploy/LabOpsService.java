package labops.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lab Ops services as every runtime (local stack, compose, Kubernetes) must run them: name,
 * local port and the environment each one needs. The manifests test checks the deploy files against this.
 */
public enum LabOpsService {

    TENANT("tenant-service", 8101, true),
    INGRESS("ingress-service", 8102, false),
    NORMALIZER("normalizer-service", 8103, false),
    WORKFLOW("workflow-service", 8104, true),
    AUDIT("audit-service", 8105, true),
    DELIVERY("delivery-service", 8106, true);

    public static final String KAFKA_BOOTSTRAP = "SPRING_KAFKA_BOOTSTRAP_SERVERS";
    public static final String REGISTRY_URL = "LABOPS_SCHEMA_REGISTRY_URL";
    public static final String TOPICS_CREATE = "LABOPS_TOPICS_CREATE";
    public static final String TOPICS_REPLICATION = "LABOPS_TOPICS_REPLICATION_FACTOR";
    public static final String DATASOURCE_URL = "SPRING_DATASOURCE_URL";
    public static final String DATASOURCE_USER = "SPRING_DATASOURCE_USERNAME";
    public static final String DATASOURCE_PASSWORD = "SPRING_DATASOURCE_PASSWORD";
    public static final String SERVER_PORT = "SERVER_PORT";
    public static final String INGRESS_TENANT_SERVICE = "LABOPS_INGRESS_TENANT_SERVICE_URL";
    public static final String DELIVERY_TENANT_SERVICE = "LABOPS_DELIVERY_TENANT_SERVICE_URL";
    public static final String DEMO_ENABLED = "LABOPS_DEMO_ENABLED";
    public static final String DEMO_WEBHOOK_SECRET = "LABOPS_DEMO_WEBHOOK_SECRET";

    private final String moduleName;
    private final int localPort;
    private final boolean storesData;

    LabOpsService(String moduleName, int localPort, boolean storesData) {
        this.moduleName = moduleName;
        this.localPort = localPort;
        this.storesData = storesData;
    }

    public String moduleName() {
        return moduleName;
    }

    public int localPort() {
        return localPort;
    }

    public boolean storesData() {
        return storesData;
    }

    /** Environment variables the service must be given outside the local defaults. */
    public List<String> requiredEnvironment() {
        var names = new ArrayList<>(List.of(KAFKA_BOOTSTRAP, REGISTRY_URL, TOPICS_CREATE, TOPICS_REPLICATION, SERVER_PORT));
        if (storesData) {
            names.addAll(List.of(DATASOURCE_URL, DATASOURCE_USER, DATASOURCE_PASSWORD));
        }
        switch (this) {
            case INGRESS -> names.add(INGRESS_TENANT_SERVICE);
            case DELIVERY -> names.add(DELIVERY_TENANT_SERVICE);
            default -> { }
        }
        return names;
    }
}
