package labops.console.api;

/** A service refused what a person asked; {@code detail} is the service's problem+json detail, shown to them. */
public class ApiProblem extends RuntimeException {

    private final int status;

    public ApiProblem(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
