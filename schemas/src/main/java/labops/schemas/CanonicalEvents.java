package labops.schemas;

import java.util.List;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.OrderLifecycleEvent;
import labops.events.PatientEvent;
import labops.events.ResultDeliveryEvent;
import org.apache.avro.Schema;

/**
 * The event schemas Lab Ops publishes (the normalizer's canonical events, workflow's order lifecycle, delivery's outcomes); each is evolved
 * under BACKWARD compatibility.
 */
public final class CanonicalEvents {

    public static final List<Schema> SCHEMAS = List.of(
            LabOrderEvent.getClassSchema(),
            LabResultEvent.getClassSchema(),
            PatientEvent.getClassSchema(),
            OrderLifecycleEvent.getClassSchema(),
            ResultDeliveryEvent.getClassSchema());

    private CanonicalEvents() {
    }
}
