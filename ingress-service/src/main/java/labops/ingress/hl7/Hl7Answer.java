package labops.ingress.hl7;

import java.util.Comparator;
import java.util.List;

/**
 * An acknowledgement and what it means, for channels that must also say it without ACK codes (HTTP's status).
 *
 * @param ack     the ACK to send; empty where enhanced mode asked for none (MSH-15 NE, ER or SU)
 * @param verdict what the ACK tells the sender
 */
public record Hl7Answer(byte[] ack, Verdict verdict) {

    /** Ordered from best to worst: a batch's answer takes the worst of its messages'. */
    public enum Verdict {
        /** Stored in Kafka (or a copy of a stored message): AA or CA. */
        ACCEPTED,
        /** Something in the message is wrong or missing: AE or CE. */
        BAD_CONTENT,
        /** The sender may not send now: unknown port, address not allowed, tenant suspended, not live. */
        NOT_ALLOWED,
        /** This endpoint does not take this message: not HL7, a type it does not accept. */
        NOT_ACCEPTED,
        /** Larger than the one largest message size: AR, and sending it again will not help. */
        TOO_LARGE,
        /** Nothing wrong with it, nothing stored: resend later. */
        RETRY_LATER
    }

    static Verdict worst(List<Hl7Answer> answers) {
        return answers.stream().map(Hl7Answer::verdict).max(Comparator.naturalOrder()).orElse(Verdict.BAD_CONTENT);
    }
}
