package labops.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import labops.events.LabResultEvent;
import labops.events.OrderNumber;
import labops.platform.tenant.EnvironmentNames;

/**
 * Kafka keys that follow one order ({@code tenant|environment|hash of the order number}): its lifecycle events and its
 * released results land on one partition, in order. The hospital's order number stays out of keys.
 */
public final class OrderKeys {

    private OrderKeys() {
    }

    public static String of(String tenantId, String environment, String orderNumber) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(orderNumber.getBytes(StandardCharsets.UTF_8));
            return tenantId + "|" + environment + "|"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** A result's key: its order's, else its own event's (a result without an order number). */
    public static String of(LabResultEvent result) {
        String number = orderNumber(result);
        return of(result.getTenantId(), EnvironmentNames.of(result.getEnvironment()),
                number == null ? "labops:" + result.getEventId() : number);
    }

    /** The order a result answers, as the hospital names it: the placer number, else the filler's; null if neither. */
    public static String orderNumber(LabResultEvent result) {
        return orderNumber(result.getPlacerOrderNumber(), result.getFillerOrderNumber());
    }

    /** An order as the hospital names it: the placer number, else the filler's; null if neither. */
    public static String orderNumber(OrderNumber placer, OrderNumber filler) {
        return placer != null ? placer.getValue() : filler != null ? filler.getValue() : null;
    }
}
