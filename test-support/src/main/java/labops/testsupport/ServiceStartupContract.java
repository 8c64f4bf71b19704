package labops.testsupport;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What every Lab Ops service must do against real Kafka, registry and PostgreSQL: start, report UP (without
 * details to a caller without a token) and expose Prometheus metrics. A service's test extends this and adds {@code @SpringBootTest(webEnvironment = RANDOM_PORT)}.
 */
public abstract class ServiceStartupContract {

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.register(registry);
    }

    @Test
    void startsHealthyAndExposesPrometheusMetrics() {
        // Health turns UP once the service has read the tenant directory, a moment after the context starts.
        Eventually.await("health UP on " + port, Duration.ofSeconds(30), () ->
                ServiceProbe.isHealthy(port) ? Optional.of(true) : Optional.empty());
        ServiceProbe.assertHealthy(port);
        ServiceProbe.assertNoHealthDetailsWithoutToken(port);
        ServiceProbe.assertPrometheusMetrics(port);
    }
}
