package labops.platform.tenant;

import java.util.Locale;
import labops.events.Environment;

/** An event's environment as paths, tokens, tables and the tenant directory name it: sandbox, production. */
public final class EnvironmentNames {

    private EnvironmentNames() {
    }

    public static String of(Environment environment) {
        return environment.name().toLowerCase(Locale.ROOT);
    }
}
