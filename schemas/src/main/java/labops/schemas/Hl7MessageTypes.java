package labops.schemas;

import java.util.List;
import java.util.Map;

/**
 * The HL7 v2 message types Lab Ops accepts, by endpoint purpose, and the segments each must carry. Ingress refuses
 * anything else with AR naming the accepted types; the integration page lists them from here, so what it promises is
 * what ingress does.
 */
public final class Hl7MessageTypes {

    /** The hospital sends orders and the patient updates they depend on. */
    public static final String ORDERS = "orders";
    /** The lab's LIS sends results for the hospital. */
    public static final String RESULTS = "results";

    public static final Map<String, List<String>> ACCEPTED = Map.of(
            ORDERS, List.of("ORM^O01", "OML^O21", "ADT^A01", "ADT^A04", "ADT^A08", "ADT^A40"),
            RESULTS, List.of("ORU^R01"));

    /**
     * Segments a message of each type must have for the normalizer to make events of it: checked by name at the
     * socket, before the AA, so a message that can never be mapped is refused while the sender is still listening.
     */
    public static final Map<String, List<String>> REQUIRED_SEGMENTS = Map.of(
            "ORM^O01", List.of("PID", "ORC", "OBR"),
            "OML^O21", List.of("PID", "ORC", "OBR"),
            "ADT^A01", List.of("PID"),
            "ADT^A04", List.of("PID"),
            "ADT^A08", List.of("PID"),
            "ADT^A40", List.of("PID", "MRG"),
            "ORU^R01", List.of("PID", "OBR", "OBX"));

    private Hl7MessageTypes() {
    }
}
