package labops.delivery;

import labops.testsupport.ServiceStartupContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeliveryApplicationTest extends ServiceStartupContract {
}
