package labops.schemas;

import java.util.List;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.PatientEvent;
import org.apache.avro.Schema;

/** The canonical event schemas Lab Ops publishes; each is evolved under BACKWARD compatibility. */
public final class CanonicalEvents {

    public static final List<Schema> SCHEMAS = List.of(
            LabOrderEvent.getClassSchema(),
            LabResultEvent.getClassSchema(),
            PatientEvent.getClassSchema());

    private CanonicalEvents() {
    }
}
