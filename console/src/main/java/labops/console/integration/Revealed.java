package labops.console.integration;

/**
 * A secret shown once, in the one answer that created it: the page says so, and it is never shown again.
 *
 * @param what  what it is ("API client secret", "inbound signing secret")
 * @param label what it belongs to (a client id, a direction)
 * @param value the secret
 */
public record Revealed(String what, String label, String value) {
}
