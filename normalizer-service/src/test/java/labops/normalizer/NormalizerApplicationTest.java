package labops.normalizer;

import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.ServiceProbe;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NormalizerApplicationTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.registerKafka(registry);
    }

    @Test
    void startsHealthyAndExposesPrometheusMetrics() {
        ServiceProbe.assertHealthy(port);
        ServiceProbe.assertPrometheusMetrics(port);
    }
}
