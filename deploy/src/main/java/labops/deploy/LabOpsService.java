package labops.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lab Ops services as every runtime (local stack, compose, Kubernetes) must run them: name,
 * local port and the environment each one needs. The manifests test checks the deploy files against this.
 */
public enum LabOpsService {

    TENANT("tenant-service", 8101, true, true),
    INGRESS("ingress-service", 8102, true, true),
    NORMALIZER("normalizer-service", 8103, true, true),
    WORKFLOW("workflow-service", 8104, true, true),
    AUDIT("audit-service", 8105, true, true),
    DELIVERY("delivery-service", 8106, true, true),
    CONSOLE("console", 8100, true, false);

    public static final String KAFKA_BOOTSTRAP = "SPRING_KAFKA_BOOTSTRAP_SERVERS";
    public static final String REGISTRY_URL = "LABOPS_SCHEMA_REGISTRY_URL";
    public static final String TOPICS_CREATE = "LABOPS_TOPICS_CREATE";
    public static final String TOPICS_REPLICATION = "LABOPS_TOPICS_REPLICATION_FACTOR";
    public static final String DATASOURCE_URL = "SPRING_DATASOURCE_URL";
    public static final String DATASOURCE_USER = "SPRING_DATASOURCE_USERNAME";
    public static final String DATASOURCE_PASSWORD = "SPRING_DATASOURCE_PASSWORD";
    public static final String SERVER_PORT = "SERVER_PORT";
    /** tenant-service's issuer URL, as tokens name it; every service checks tokens against it. */
    public static final String ISSUER = "LABOPS_SECURITY_ISSUER";
    /** A service's own client secret at tenant-service (ingress and delivery read signing secrets with it). */
    public static final String SERVICE_CLIENT_SECRET = "LABOPS_SECURITY_CLIENTSECRET";
    /** tenant-service: the key secrets are sealed with (base64, 32 bytes). */
    public static final String ENCRYPTION_KEY = "LABOPS_TENANT_ENCRYPTION_KEYS_K1";
    /** tenant-service: the console's client secret, and the console's own copy of it. */
    public static final String CONSOLE_CLIENT_SECRET = "LABOPS_TENANT_AUTH_CONSOLE_CLIENTSECRET";
    public static final String CONSOLE_REDIRECT_URIS = "LABOPS_TENANT_AUTH_CONSOLE_REDIRECTURIS";
    public static final String CONSOLE_LOGOUT_URI = "LABOPS_TENANT_AUTH_CONSOLE_LOGOUTURI";
    public static final String INGRESS_CLIENT_SECRET = "LABOPS_TENANT_AUTH_SERVICECLIENTS_INGRESS";
    public static final String DELIVERY_CLIENT_SECRET = "LABOPS_TENANT_AUTH_SERVICECLIENTS_DELIVERY";
    public static final String BOOTSTRAP_ADMIN_USERNAME = "LABOPS_TENANT_AUTH_BOOTSTRAPADMIN_USERNAME";
    public static final String BOOTSTRAP_ADMIN_PASSWORD = "LABOPS_TENANT_AUTH_BOOTSTRAPADMIN_PASSWORD";
    public static final String PUBLIC_ISSUER = "LABOPS_TENANT_AUTH_PUBLICURLS_ISSUER";
    public static final String PUBLIC_INGRESS = "LABOPS_TENANT_AUTH_PUBLICURLS_INGRESS";
    public static final String PUBLIC_CONSOLE = "LABOPS_TENANT_AUTH_PUBLICURLS_CONSOLE";
    public static final String PUBLIC_MLLP_HOST = "LABOPS_TENANT_AUTH_PUBLICURLS_MLLPHOST";
    public static final String CONSOLE_ISSUER = "LABOPS_CONSOLE_ISSUER";
    public static final String CONSOLE_SECRET = "LABOPS_CONSOLE_CLIENTSECRET";
    public static final String CONSOLE_TENANT_SERVICE = "LABOPS_CONSOLE_TENANTSERVICE";
    public static final String CONSOLE_WORKFLOW = "LABOPS_CONSOLE_WORKFLOW";
    public static final String CONSOLE_NORMALIZER = "LABOPS_CONSOLE_NORMALIZER";
    public static final String CONSOLE_INGRESS = "LABOPS_CONSOLE_INGRESS";
    /** ingress: where import rows are checked against mapping profiles and existing orders. */
    public static final String INGRESS_NORMALIZER = "LABOPS_INGRESS_NORMALIZERURL";
    public static final String INGRESS_WORKFLOW = "LABOPS_INGRESS_WORKFLOWURL";
    /** ingress: the keyed hash in Kafka keys, the same on every instance, so a patient's messages share a partition. */
    public static final String INGRESS_PARTITION_KEY = "LABOPS_INGRESS_PARTITIONKEYSECRET";
    /** ingress: the PKCS#12 key store MLLP endpoints with TLS present (optional: without it they stay closed). */
    public static final String MLLP_TLS_KEY_STORE = "LABOPS_INGRESS_TLS_KEYSTORE";
    public static final String MLLP_TLS_KEY_STORE_PASSWORD = "LABOPS_INGRESS_TLS_KEYSTOREPASSWORD";
    public static final String DEMO_ENABLED = "LABOPS_DEMO_ENABLED";
    public static final String OUTBOUND_ALLOWED = "LABOPS_OUTBOUND_ALLOWED";
    public static final String AUDIT_CHAIN_KEY = "LABOPS_AUDIT_CHAIN_KEYS_K1";
    public static final String DEMO_WEBHOOK_SECRET = "LABOPS_DEMO_WEBHOOKSECRET";

    private final String moduleName;
    private final int localPort;
    private final boolean storesData;
    private final boolean usesKafka;

    LabOpsService(String moduleName, int localPort, boolean storesData, boolean usesKafka) {
        this.moduleName = moduleName;
        this.localPort = localPort;
        this.storesData = storesData;
        this.usesKafka = usesKafka;
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

    public boolean usesKafka() {
        return usesKafka;
    }

    /** Environment variables the service must be given outside the local defaults. */
    public List<String> requiredEnvironment() {
        var names = new ArrayList<>(List.of(SERVER_PORT));
        if (usesKafka) {
            names.addAll(List.of(KAFKA_BOOTSTRAP, REGISTRY_URL, TOPICS_CREATE, TOPICS_REPLICATION, ISSUER));
        }
        if (storesData) {
            names.addAll(List.of(DATASOURCE_URL, DATASOURCE_USER, DATASOURCE_PASSWORD));
        }
        switch (this) {
            case TENANT -> names.addAll(List.of(ENCRYPTION_KEY, CONSOLE_CLIENT_SECRET, CONSOLE_REDIRECT_URIS,
                    CONSOLE_LOGOUT_URI, INGRESS_CLIENT_SECRET, DELIVERY_CLIENT_SECRET, BOOTSTRAP_ADMIN_USERNAME,
                    BOOTSTRAP_ADMIN_PASSWORD, PUBLIC_ISSUER, PUBLIC_INGRESS, PUBLIC_CONSOLE, PUBLIC_MLLP_HOST));
            case INGRESS -> names.addAll(List.of(SERVICE_CLIENT_SECRET, INGRESS_NORMALIZER, INGRESS_WORKFLOW,
                    INGRESS_PARTITION_KEY));
            case DELIVERY -> names.add(SERVICE_CLIENT_SECRET);
            case AUDIT -> names.add(AUDIT_CHAIN_KEY);
            case CONSOLE -> names.addAll(List.of(CONSOLE_ISSUER, CONSOLE_SECRET, CONSOLE_TENANT_SERVICE,
                    CONSOLE_WORKFLOW, CONSOLE_NORMALIZER, CONSOLE_INGRESS));
            default -> { }
        }
        return names;
    }
}
