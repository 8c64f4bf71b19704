package labops.delivery.webhook;

/** This attempt failed; the retry topics try again. The message is the reason, without PHI. */
class DeliveryFailedException extends RuntimeException {

    DeliveryFailedException(String reason) {
        super(reason);
    }
}
