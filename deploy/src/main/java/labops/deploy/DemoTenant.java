package labops.deploy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import labops.testsupport.Ports;
import labops.testsupport.Processes;

/** The demo tenant tenant-service seeds in the local stack, and what a new user needs to know about it. */
final class DemoTenant {

    static final String TENANT = "demo-hospital";
    static final int ORDERS_PORT = 2575;
    static final int RESULTS_PORT = 2576;
    static final int PRODUCTION_ORDERS_PORT = 2577;
    static final int WEBHOOK_PORT = 8200;
    static final String WEBHOOK_PATH = "/results";
    /** Where the demo tenant's pull-data connection points (tenant-service's demo seeder names it). */
    static final int FHIR_PORT = 8300;
    /** The only internal addresses the local stack may call: the demo result receiver and the demo FHIR server. */
    static final String OUTBOUND_ALLOWED = "127.0.0.1:" + WEBHOOK_PORT + ",127.0.0.1:" + FHIR_PORT;
    static final String SECRET_FILE = "demo-webhook-secret";
    static final String ADMIN = "admin";
    static final String TENANT_ADMIN = "demo-admin";
    static final String STAFF = "demo-staff";
    static final String REVIEWER = "demo-reviewer";

    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoTenant() {
    }

    /**
     * Everything secret in one local stack, fresh at every {@code up}: the sealing key, the clients' secrets, the demo
     * logins and the demo hospital's API client and webhook secret.
     */
    record Secrets(String encryptionKey, String consoleSecret, String ingressSecret, String deliverySecret,
                   String adminPassword, String tenantAdminPassword, String staffPassword, String apiClientId,
                   String apiClientSecret,
                   String webhookSecret, String tlsKeyStorePassword, String partitionKeySecret,
                   String auditChainKey) {

        static Secrets generate() {
            return new Secrets(base64(32), urlSafe(24), urlSafe(24), urlSafe(24), urlSafe(12), urlSafe(12), urlSafe(12),
                    "lo_test_demo" + urlSafe(6).replace('-', 'x').replace('_', 'y'), urlSafe(32),
                    "whsec_" + base64(32), urlSafe(16), base64(32), base64(32));
        }

        Map<String, String> tenantServiceEnvironment(String issuer, String console) {
            Map<String, String> env = new HashMap<>();
            env.put(LabOpsService.ENCRYPTION_KEY, encryptionKey);
            env.put(LabOpsService.CONSOLE_CLIENT_SECRET, consoleSecret);
            env.put(LabOpsService.CONSOLE_REDIRECT_URIS, console + "/login/oauth2/code/labops");
            env.put(LabOpsService.CONSOLE_LOGOUT_URI, console + "/");
            env.put(LabOpsService.INGRESS_CLIENT_SECRET, ingressSecret);
            env.put(LabOpsService.DELIVERY_CLIENT_SECRET, deliverySecret);
            env.put(LabOpsService.PUBLIC_ISSUER, issuer);
            env.put(LabOpsService.PUBLIC_CONSOLE, console);
            env.put(LabOpsService.PUBLIC_INGRESS, "http://127.0.0.1:" + LabOpsService.INGRESS.localPort());
            env.put(LabOpsService.PUBLIC_MLLP_HOST, "127.0.0.1");
            env.put(LabOpsService.DEMO_ENABLED, "true");
            env.put(LabOpsService.DEMO_WEBHOOK_SECRET, webhookSecret);
            env.put("LABOPS_DEMO_APICLIENTID", apiClientId);
            env.put("LABOPS_DEMO_APICLIENTSECRET", apiClientSecret);
            env.put("LABOPS_DEMO_ADMINPASSWORD", adminPassword);
            env.put("LABOPS_DEMO_TENANTADMINPASSWORD", tenantAdminPassword);
            env.put("LABOPS_DEMO_STAFFPASSWORD", staffPassword);
            return env;
        }
    }

    /** Ingress opens the demo MLLP ports a moment after tenant-service publishes them. */
    static void awaitEndpoints() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        for (int port : new int[] {ORDERS_PORT, RESULTS_PORT}) {
            while (!Ports.isListening(port)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("ingress did not open MLLP port " + port);
                }
                Processes.pause(Duration.ofMillis(300));
            }
        }
    }

    static String describe(Secrets secrets, String console, String issuer) {
        return String.format("""

                Console: %s
                  Lab Ops admin:          %s / %s
                  Demo Hospital admin:    %s / %s
                  Demo Hospital lab:      %s and %s (releases results) / %s

                Demo tenant %s (sandbox live; production configured, waiting for go-live):
                  API client:    %s / %s   (scopes orders.write results.read)
                  token:         curl -s -u '%s:%s' -d grant_type=client_credentials %s/oauth2/token
                  HL7 over HTTP: http://127.0.0.1:%d/hl7/%s/sandbox   (bearer token, Content-Type application/hl7-v2)
                  MLLP orders:   mllp://127.0.0.1:%d   (hospital sends ORM^O01)
                  MLLP results:  mllp://127.0.0.1:%d   (the lab's LIS sends ORU^R01)
                  MLLP production orders: mllp://127.0.0.1:%d   (answers AR until production goes live)
                  result webhook: http://127.0.0.1:%d%s, signing secret %s
                """, console, ADMIN, secrets.adminPassword(), TENANT_ADMIN, secrets.tenantAdminPassword(), STAFF,
                REVIEWER, secrets.staffPassword(), TENANT,
                secrets.apiClientId(), secrets.apiClientSecret(), secrets.apiClientId(), secrets.apiClientSecret(), issuer,
                LabOpsService.INGRESS.localPort(), TENANT, ORDERS_PORT, RESULTS_PORT, PRODUCTION_ORDERS_PORT,
                WEBHOOK_PORT, WEBHOOK_PATH, secrets.webhookSecret());
    }

    private static String base64(int bytes) {
        return Base64.getEncoder().encodeToString(random(bytes));
    }

    private static String urlSafe(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(bytes));
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }
}
