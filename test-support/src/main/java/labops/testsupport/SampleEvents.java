package labops.testsupport;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import labops.events.CodedConcept;
import labops.events.CollectionMode;
import labops.events.CollectionType;
import labops.events.Environment;
import labops.events.EventSource;
import labops.events.Identifier;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.events.Quantity;
import labops.events.ResultStatus;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.events.OrderNumber;
import labops.events.OrderPriority;
import labops.events.PatientReference;
import labops.events.SourceFormat;

/** Canonical events with made-up, clearly synthetic data for tests. */
public final class SampleEvents {

    private SampleEvents() {
    }

    public static LabOrderEvent labOrder(String tenantId, String placerOrderNumber) {
        Instant now = Instant.parse("2026-11-25T08:30:00Z");
        return LabOrderEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setTenantId(tenantId)
                .setEnvironment(Environment.SANDBOX)
                .setOccurredAt(now)
                .setSource(EventSource.newBuilder()
                        .setFormat(SourceFormat.HL7V2)
                        .setChannel("mllp")
                        .setOriginalMessageId("MSG-0001")
                        .setRawMessageId(UUID.randomUUID().toString())
                        .setSender("TEST-EHR^GENERAL-HOSPITAL")
                        .setReceivedAt(now)
                        .build())
                .setAction(OrderAction.NEW)
                .setPlacerOrderNumber(new OrderNumber(placerOrderNumber, "GENERAL-HOSPITAL"))
                .setPriority(OrderPriority.ROUTINE)
                .setOrderedAt(now)
                .setTests(List.of(new CodedConcept("2345-7", "http://loinc.org", "Glucose [Mass/volume] in Serum or Plasma")))
                .setCollection(CollectionMode.newBuilder().setMode(CollectionType.IN_LAB).build())
                .setPatient(new PatientReference(List.of(new Identifier("MRN-TEST-1", "GENERAL-HOSPITAL", "MR"))))
                .build();
    }

    /** A final potassium result for the order, its one observation flagged {@code flag}. */
    /** The patient of {@link #labOrder}s (MRN-TEST-1), as a PID would make them: synthetic, clearly. */
    public static labops.events.PatientEvent patient(String tenantId, String family, java.time.LocalDate birthDate) {
        return labops.events.PatientEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setTenantId(tenantId)
                .setEnvironment(Environment.SANDBOX)
                .setOccurredAt(Instant.parse("2026-11-25T08:30:00Z"))
                .setSource(EventSource.newBuilder().setFormat(SourceFormat.HL7V2).setChannel("mllp")
                        .setOriginalMessageId("MSG-0001").setRawMessageId(UUID.randomUUID().toString())
                        .setSender("TEST-EHR^GENERAL-HOSPITAL").setReceivedAt(Instant.parse("2026-11-25T08:30:00Z"))
                        .build())
                .setAction(labops.events.PatientAction.UPSERT)
                .setIdentifiers(List.of(new Identifier("MRN-TEST-1", "GENERAL-HOSPITAL", "MR")))
                .setNames(List.of(new labops.events.PersonName(family, List.of("TESTPERSON"), null, null, null)))
                .setBirthDate(birthDate)
                .setAddresses(List.of(new labops.events.Address(List.of("1 Sample Street"), "Testville", null, "00000",
                        null, "home")))
                .build();
    }

    public static LabResultEvent labResult(String tenantId, String placerOrderNumber, Interpretation flag) {
        LabOrderEvent order = labOrder(tenantId, placerOrderNumber);
        return LabResultEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setTenantId(tenantId)
                .setEnvironment(Environment.SANDBOX)
                .setOccurredAt(order.getOccurredAt())
                .setSource(order.getSource())
                .setStatus(ResultStatus.FINAL)
                .setPlacerOrderNumber(order.getPlacerOrderNumber())
                .setPatient(order.getPatient())
                .setObservations(List.of(Observation.newBuilder()
                        .setCode(new CodedConcept("2823-3", "http://loinc.org", "Potassium"))
                        .setValue(new Quantity(6.9, "mmol/L", "http://unitsofmeasure.org"))
                        .setInterpretation(List.of(flag))
                        .build()))
                .build();
    }
}
