package labops.ingress;

class IngressApplicationTest extends IngressTest {
}
