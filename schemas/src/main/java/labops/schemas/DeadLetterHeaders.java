package labops.schemas;

import java.util.List;

/**
 * The one header format of every dead-letter topic: the raw DLTs (ingress's refusals, the normalizer's unmappable
 * messages), each consumer's own DLT and delivery's. The record's key, value and other headers stay exactly as they
 * were read, so a replay is identical to the original; these say where, when and why it failed, as UTF-8 strings. A
 * reason names fields, never their values: no patient data reaches a header.
 */
public final class DeadLetterHeaders {

    /** Why, for machines: one of {@link Code}'s wire values. */
    public static final String CODE = "labops-failure-code";
    /** Why, for people: names the field or the step, never a value. */
    public static final String REASON = "labops-failure-reason";
    /** Which step refused it: {@code ingress}, {@code normalizer}, or the consumer group that could not process it. */
    public static final String STAGE = "labops-failure-stage";
    /** The topic the record was read from when it failed. */
    public static final String ORIGINAL_TOPIC = "labops-original-topic";
    /** Its partition there. */
    public static final String ORIGINAL_PARTITION = "labops-original-partition";
    /** Its offset there. */
    public static final String ORIGINAL_OFFSET = "labops-original-offset";
    /** ISO-8601 instant of the first failed attempt. */
    public static final String FIRST_FAILED_AT = "labops-first-failed-at";
    /** How many times it was tried before it was dead-lettered. */
    public static final String ATTEMPTS = "labops-attempts";

    /** Every header of the format, in the order they are written. */
    public static final List<String> ALL = List.of(CODE, REASON, STAGE, ORIGINAL_TOPIC, ORIGINAL_PARTITION,
            ORIGINAL_OFFSET, FIRST_FAILED_AT, ATTEMPTS);

    /** Why a record was dead-lettered, for machines (dashboards, replay tools). */
    public enum Code {
        /** Ingress refused it and told the sender so (AE/AR, 4xx). */
        REFUSED("refused"),
        /** The normalizer could not map it to canonical events. */
        UNMAPPABLE("unmappable"),
        /** Its sender's id (MSH-10, an Idempotency-Key) was used within the duplicate window for other content. */
        CONFLICTING_COPY("conflicting-copy"),
        /** Its bytes could not be decoded as the topic's format (not Avro, not JSON, ...). */
        UNDECODABLE("undecodable"),
        /** The consumer's database refused what the record holds (a value it cannot store). */
        UNSTORABLE("unstorable"),
        /** Processing it failed on every attempt, for a reason of its own (a bug, an impossible value). */
        PROCESSING_FAILED("processing-failed"),
        /** Every delivery attempt of a result failed. */
        UNDELIVERABLE("undeliverable");

        private final String wire;

        Code(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private DeadLetterHeaders() {
    }
}
