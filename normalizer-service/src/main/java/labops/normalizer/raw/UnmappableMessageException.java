package labops.normalizer.raw;

/**
 * The message can never become canonical events as it is: retrying will not help, it goes to the
 * dead-letter topic at once. The message is the reason ops see; it must name fields, never copy values (PHI).
 */
public class UnmappableMessageException extends Exception {

    public UnmappableMessageException(String reason) {
        super(reason);
    }
}
