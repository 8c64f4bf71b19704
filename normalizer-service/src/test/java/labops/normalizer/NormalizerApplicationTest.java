package labops.normalizer;

import labops.testsupport.ServiceStartupContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NormalizerApplicationTest extends ServiceStartupContract {
}
