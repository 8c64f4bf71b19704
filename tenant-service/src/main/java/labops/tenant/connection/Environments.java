package labops.tenant.connection;

import labops.platform.web.Problems;
import java.util.List;
import org.springframework.http.HttpStatus;

/** Every tenant has exactly these two environments. */
public final class Environments {

    public static final String SANDBOX = "sandbox";
    public static final String PRODUCTION = "production";
    public static final List<String> ALL = List.of(SANDBOX, PRODUCTION);

    private Environments() {
    }

    /** The environment named in a path; 404 for anything else. */
    public static String of(String name) {
        if (!ALL.contains(name)) {
            throw Problems.of(HttpStatus.NOT_FOUND, "no environment " + name + "; environments are sandbox and production");
        }
        return name;
    }
}
