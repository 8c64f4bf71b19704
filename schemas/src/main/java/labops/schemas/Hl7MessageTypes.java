package labops.schemas;

import java.util.List;
import java.util.Map;

/**
 * The HL7 v2 message types Lab Ops accepts, by endpoint purpose. Ingress refuses anything else with AR naming these;
 * the integration page lists them from here, so what it promises is what ingress does.
 */
public final class Hl7MessageTypes {

    /** The hospital sends orders. */
    public static final String ORDERS = "orders";
    /** The lab's LIS sends results for the hospital. */
    public static final String RESULTS = "results";

    public static final Map<String, List<String>> ACCEPTED = Map.of(
            ORDERS, List.of("ORM^O01"),
            RESULTS, List.of("ORU^R01"));

    private Hl7MessageTypes() {
    }
}
