package labops.delivery;

import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.ServiceStartupContract;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeliveryApplicationTest extends ServiceStartupContract {

    /** Delivery cannot sign without its own credential at tenant-service: it is configured or it does not start. */
    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.registerIssuer(registry, "delivery");
    }
}
