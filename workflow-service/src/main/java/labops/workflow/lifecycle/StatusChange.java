package labops.workflow.lifecycle;

import java.time.Instant;
import labops.events.OrderChangeCause;
import labops.events.OrderStatus;

/**
 * One change of an order's status, as {@code labops.workflow.orders} tells it.
 *
 * @param from    null for an order Lab Ops had not seen
 * @param causeId the canonical event, task or delivery that changed it
 */
public record StatusChange(String tenantId, String environment, String orderNumber, OrderStatus from, OrderStatus to,
                           Instant at, OrderChangeCause cause, String causeId, String rawMessageId, String actor,
                           String reasonCode) {
}
