package labops.delivery.webhook;

/** The destination's address is one the outbound policy refuses: no attempt can succeed, so none is retried. */
class DestinationRefusedException extends DeliveryFailedException {

    DestinationRefusedException(String reason) {
        super(reason);
    }
}
