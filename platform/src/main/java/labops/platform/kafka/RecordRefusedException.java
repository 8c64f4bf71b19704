package labops.platform.kafka;

/**
 * A record a consumer cannot process for what it holds: dead-lettered at once, with this message as the reason. The
 * message names fields, never their values (it is copied into a Kafka header that ops and tenants read).
 */
public class RecordRefusedException extends RuntimeException {

    public RecordRefusedException(String reason) {
        super(reason, null, false, false);
    }
}
