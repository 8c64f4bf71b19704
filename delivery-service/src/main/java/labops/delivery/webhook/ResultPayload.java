package labops.delivery.webhook;

import java.time.Instant;
import java.util.List;
import java.nio.ByteBuffer;
import java.util.Base64;
import labops.events.Attachment;
import labops.events.CodedConcept;
import labops.events.Identifier;
import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.events.OrderNumber;
import labops.events.Quantity;
import labops.platform.tenant.EnvironmentNames;

/** The JSON a hospital's webhook receives for one result ({@code type: "lab-result.v1"}). */
record ResultPayload(String type, String eventId, String tenantId, String environment, String status,
                     String placerOrderNumber, String fillerOrderNumber, List<PatientIdentifier> patient,
                     List<ObservationPayload> observations, Instant issuedAt) {

    /** An attachment (a PDF report) in the JSON a hospital receives: its MIME type and its data in base64. */
    record AttachmentPayload(String contentType, String data) {
    }

    record PatientIdentifier(String value, String assigningAuthority, String type) {
    }

    record ObservationPayload(String code, String system, String display, Object value, String unit,
                              Double referenceLow, Double referenceHigh, String referenceText,
                              List<String> interpretation, Instant observedAt) {
    }

    static ResultPayload of(LabResultEvent result) {
        return new ResultPayload("lab-result.v1", result.getEventId().toString(), result.getTenantId(),
                EnvironmentNames.of(result.getEnvironment()), result.getStatus().name(),
                number(result.getPlacerOrderNumber()), number(result.getFillerOrderNumber()),
                result.getPatient().getIdentifiers().stream().map(ResultPayload::identifier).toList(),
                result.getObservations().stream().map(ResultPayload::observation).toList(),
                result.getIssuedAt());
    }

    private static PatientIdentifier identifier(Identifier id) {
        return new PatientIdentifier(id.getValue(), id.getAssigningAuthority(), id.getType());
    }

    private static ObservationPayload observation(Observation o) {
        Object value = o.getValue();
        String unit = null;
        if (value instanceof Quantity q) {
            unit = q.getUnit();
            value = q.getValue();
        } else if (value instanceof CodedConcept c) {
            value = c.getCode();
        } else if (value instanceof Attachment a) {
            value = new AttachmentPayload(a.getContentType(), Base64.getEncoder().encodeToString(bytes(a.getData())));
        }
        var range = o.getReferenceRange();
        return new ObservationPayload(o.getCode().getCode(), o.getCode().getSystem(), o.getCode().getDisplay(), value,
                unit, range == null ? null : range.getLow(), range == null ? null : range.getHigh(),
                range == null ? null : range.getText(),
                o.getInterpretation().stream().map(Enum::name).toList(), o.getObservedAt());
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    private static String number(OrderNumber number) {
        return number == null ? null : number.getValue();
    }
}
