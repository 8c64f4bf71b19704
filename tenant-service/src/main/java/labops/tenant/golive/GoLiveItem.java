package labops.tenant.golive;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import labops.platform.web.Problems;
import org.springframework.http.HttpStatus;

/** What must be agreed, per direction, before a production connection carries real patients' data. */
public enum GoLiveItem {
    DATA_FLOW("data-flow", "Direction of data flow agreed"),
    MAPPING("mapping", "Resource and message mapping reviewed"),
    PATIENT_DATA_POLICY("patient-data-policy", "Patient data policy agreed"),
    AUDIT_REQUIREMENTS("audit-requirements", "Audit requirements agreed"),
    TESTING_WINDOW("testing-window", "Testing window agreed"),
    ERROR_CONTACT("error-contact", "Error-handling contact named"),
    SUPPORT_OWNER("support-owner", "Support owner named"),
    SECURITY_APPROVAL("security-approval", "Security approval given");

    private final String id;
    private final String title;

    GoLiveItem(String id, String title) {
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

    public static GoLiveItem of(String id) {
        return Arrays.stream(values()).filter(i -> i.id.equals(id)).findFirst()
                .orElseThrow(() -> Problems.of(HttpStatus.NOT_FOUND, "no checklist item " + id));
    }
}
