package labops.tenant.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo tenant the local stack seeds so a new user can connect at once: both environments, all three directions.
 *
 * @param enabled              seed at start-up (the local stack and system tests turn it on; off by default)
 * @param tenantId             tenant id
 * @param ordersPort           sandbox MLLP port where the demo hospital sends orders
 * @param resultsPort          sandbox MLLP port where the lab's LIS sends results for the demo hospital
 * @param productionOrdersPort production MLLP port for orders (allow-listed to loopback; live after go-live only)
 * @param webhookUrl           where sandbox results are delivered
 * @param productionWebhookUrl where production results would be delivered after go-live
 * @param webhookSecret        outbound signing secret ({@code whsec_...}); a random one when blank
 * @param apiClientId          the demo hospital's sandbox API client id (blank: none)
 * @param apiClientSecret      its secret
 * @param adminPassword        password of the demo Lab Ops admin {@code admin} (blank: not created)
 * @param tenantAdminPassword  password of the demo tenant admin {@code demo-admin} (blank: not created)
 * @param staffPassword        password of the demo lab staff {@code demo-staff} and lab reviewer {@code demo-reviewer}
 *                             (blank: not created)
 */
@ConfigurationProperties("labops.demo")
public record DemoTenantProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("demo-hospital") String tenantId,
        @DefaultValue("2575") int ordersPort,
        @DefaultValue("2576") int resultsPort,
        @DefaultValue("2577") int productionOrdersPort,
        @DefaultValue("http://127.0.0.1:8200/results") String webhookUrl,
        @DefaultValue("http://127.0.0.1:8201/results") String productionWebhookUrl,
        String webhookSecret,
        String apiClientId,
        String apiClientSecret,
        String adminPassword,
        String tenantAdminPassword,
        String staffPassword) {
}
