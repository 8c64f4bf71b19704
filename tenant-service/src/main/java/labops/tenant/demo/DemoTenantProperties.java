package labops.tenant.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo tenant the local stack seeds so a new user can send a first order at once.
 *
 * @param enabled       seed at start-up (the local stack and system tests turn it on; off by default)
 * @param tenantId      tenant id
 * @param ordersPort    MLLP port where the demo hospital sends orders
 * @param resultsPort   MLLP port where the lab's LIS sends results for the demo hospital
 * @param webhookUrl    where results are delivered
 * @param webhookSecret signing secret ({@code whsec_...}); a random one is generated when blank
 */
@ConfigurationProperties("labops.demo")
public record DemoTenantProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("demo-hospital") String tenantId,
        @DefaultValue("2575") int ordersPort,
        @DefaultValue("2576") int resultsPort,
        @DefaultValue("http://127.0.0.1:8200/results") String webhookUrl,
        String webhookSecret) {
}
