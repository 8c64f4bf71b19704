package labops.ingress.rest;

import jakarta.validation.Path;

/** Bean Validation paths of the order format as JSON Pointers: {@code orders[0].patient.mrn} is {@code /orders/0/patient/mrn}. */
public final class OrderPointers {

    private OrderPointers() {
    }

    public static String of(Path path) {
        var pointer = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable() && node.getIndex() != null) {
                pointer.append('/').append(node.getIndex());
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                pointer.append('/').append(node.getName());
            }
        }
        return pointer.isEmpty() ? "/" : pointer.toString();
    }
}
