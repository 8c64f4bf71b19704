package labops.console.api;

import tools.jackson.databind.json.JsonMapper;

/** Canonical events as the services render them (one line of JSON), laid out for people. */
public final class EventJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventJson() {
    }

    /** The event's JSON one field per line; anything that is not JSON as it is. */
    public static String indented(Object json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(String.valueOf(json)));
        } catch (RuntimeException notJson) {
            return String.valueOf(json);
        }
    }
}
