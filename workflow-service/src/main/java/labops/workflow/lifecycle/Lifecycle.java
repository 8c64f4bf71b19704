package labops.workflow.lifecycle;

import static labops.events.OrderStatus.ACCEPTED;
import static labops.events.OrderStatus.CANCELLED;
import static labops.events.OrderStatus.COLLECTED;
import static labops.events.OrderStatus.COLLECTION_SCHEDULED;
import static labops.events.OrderStatus.DELIVERED;
import static labops.events.OrderStatus.IN_PROGRESS;
import static labops.events.OrderStatus.ON_HOLD;
import static labops.events.OrderStatus.RECEIVED;
import static labops.events.OrderStatus.REJECTED;
import static labops.events.OrderStatus.RELEASED;
import static labops.events.OrderStatus.RESULTED;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import labops.events.OrderAction;
import labops.events.OrderStatus;
import labops.events.ResultStatus;

/**
 * The order lifecycle's rules: what an order event, a result, a staff decision does to an order's status. Progress
 * only moves forward (a late preliminary result never takes a resulted order back); a hold remembers where the order
 * was; a cancelled or rejected order stays so whatever arrives after.
 */
public final class Lifecycle {

    /** The way forward, in order. */
    static final List<OrderStatus> FORWARD = List.of(RECEIVED, ACCEPTED, COLLECTION_SCHEDULED, COLLECTED, IN_PROGRESS,
            RESULTED, RELEASED, DELIVERED);

    private Lifecycle() {
    }

    /**
     * What an order event makes of an order at {@code current} (null: Lab Ops has not seen it yet), {@code heldFrom}
     * where a hold found it.
     */
    public static OrderStatus onOrder(OrderAction action, OrderStatus current, OrderStatus heldFrom) {
        return switch (action) {
            case NEW, UPDATE -> current == null ? RECEIVED : current;
            case HOLD -> current == null || FORWARD.contains(current) ? ON_HOLD : current;
            case RESUME -> current == ON_HOLD ? (heldFrom == null ? RECEIVED : heldFrom)
                    : current == null ? RECEIVED : current;
            case CANCEL -> current == REJECTED ? REJECTED : CANCELLED;
        };
    }

    /** Results move an order on the way forward to in progress (preliminary) or resulted (final, corrected). */
    public static OrderStatus onResult(ResultStatus result, OrderStatus current) {
        OrderStatus target = switch (result) {
            case PRELIMINARY -> IN_PROGRESS;
            case FINAL, CORRECTED -> RESULTED;
            case CANCELLED -> current;
        };
        return FORWARD.contains(current) && FORWARD.indexOf(target) > FORWARD.indexOf(current) ? target : current;
    }

    /** A released result moves its order on the way forward to released. */
    public static Optional<OrderStatus> onRelease(OrderStatus current) {
        return forwardTo(RELEASED, current);
    }

    /** A released result delivered to the hospital: forward to delivered. */
    public static Optional<OrderStatus> onDelivered(OrderStatus current) {
        return forwardTo(DELIVERED, current);
    }

    /** A home visit agreed: forward to collection scheduled. */
    public static Optional<OrderStatus> onCollectionScheduled(OrderStatus current) {
        return forwardTo(COLLECTION_SCHEDULED, current);
    }

    /** A specimen collected: forward to collected. */
    public static Optional<OrderStatus> onCollected(OrderStatus current) {
        return forwardTo(COLLECTED, current);
    }

    /**
     * A specimen rejected (haemolysed, too little, wrong container): the one step back, to collection scheduled for the
     * recollection, from any point before results.
     */
    public static Optional<OrderStatus> onSpecimenRejected(OrderStatus current) {
        return current == ACCEPTED || current == COLLECTED ? Optional.of(COLLECTION_SCHEDULED) : Optional.empty();
    }

    private static Optional<OrderStatus> forwardTo(OrderStatus target, OrderStatus current) {
        return FORWARD.contains(current) && FORWARD.indexOf(current) < FORWARD.indexOf(target)
                ? Optional.of(target) : Optional.empty();
    }

    /** A review of a new order accepts or rejects it; only a received order is reviewed. */
    public static Optional<OrderStatus> onReview(boolean accepted, OrderStatus current) {
        return current == RECEIVED ? Optional.of(accepted ? ACCEPTED : REJECTED) : Optional.empty();
    }

    /** As {@code order_record.status} stores it: {@code collection-scheduled}. */
    public static String stored(OrderStatus status) {
        return status == null ? null : status.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static OrderStatus of(String stored) {
        return stored == null ? null : OrderStatus.valueOf(stored.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
