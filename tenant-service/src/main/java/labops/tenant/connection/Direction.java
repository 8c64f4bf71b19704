package labops.tenant.connection;

import labops.platform.web.Problems;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import org.springframework.http.HttpStatus;

/** The three ways data flows between a hospital and Lab Ops; each is a connection per environment. */
public enum Direction {
    /** The hospital pushes orders (and the lab's LIS pushes results) to Lab Ops. */
    RECEIVE_ORDERS("receive-orders", "Receive orders"),
    /** Lab Ops reads approved data from the hospital's FHIR server. */
    PULL_DATA("pull-data", "Pull approved data"),
    /** Lab Ops delivers results back to the hospital. */
    SEND_RESULTS("send-results", "Send results back");

    private final String id;
    private final String title;

    Direction(String id, String title) {
        this.id = id;
        this.title = title;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** The direction named in a path; 404 for anything else. */
    public static Direction of(String id) {
        return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst()
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND,
                        "no direction " + id + "; directions are receive-orders, pull-data, send-results"));
    }
}
