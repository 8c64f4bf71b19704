package labops.deploy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import labops.testsupport.Ports;
import labops.testsupport.Processes;

/** The demo tenant tenant-service seeds in the local stack, and what a new user needs to know about it. */
final class DemoTenant {

    static final String TENANT = "demo-hospital";
    static final int ORDERS_PORT = 2575;
    static final int RESULTS_PORT = 2576;
    static final int WEBHOOK_PORT = 8200;
    static final String WEBHOOK_PATH = "/results";
    static final String SECRET_FILE = "demo-webhook-secret";

    private DemoTenant() {
    }

    static String newWebhookSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** Ingress opens the demo MLLP ports a few seconds after tenant-service has them. */
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

    static String describe(String webhookSecret) {
        return String.format("""

                Demo tenant %s (sandbox):
                  MLLP orders:   mllp://127.0.0.1:%d   (hospital sends ORM^O01)
                  MLLP results:  mllp://127.0.0.1:%d   (the lab's LIS sends ORU^R01)
                  result webhook: http://127.0.0.1:%d%s, signing secret %s
                  staff queue:   http://127.0.0.1:%d/tenants/%s/tasks
                  audit log:     http://127.0.0.1:%d/api/audit?tenant=%s
                """, TENANT, ORDERS_PORT, RESULTS_PORT, WEBHOOK_PORT, WEBHOOK_PATH, webhookSecret,
                LabOpsService.WORKFLOW.localPort(), TENANT, LabOpsService.AUDIT.localPort(), TENANT);
    }
}
