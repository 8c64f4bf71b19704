package labops.console.api;

import java.util.List;

/**
 * A service refused what a person asked; {@code detail} is the service's problem+json detail, shown to them, and
 * {@code problems} the itemised reasons when the service gave them (e.g. each invalid rule of a mapping profile).
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final List<String> problems;

    public ApiProblem(int status, String detail, List<String> problems) {
        super(detail);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<String> problems() {
        return problems;
    }
}
