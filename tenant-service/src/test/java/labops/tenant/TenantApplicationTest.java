package labops.tenant;

import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TenantApplicationTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.register(registry);
    }

    @Test
    void startsHealthyAndExposesPrometheusMetrics() {
        ServiceProbe.assertHealthy(port);
        ServiceProbe.assertPrometheusMetrics(port);
    }
}
