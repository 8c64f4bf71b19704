package labops.normalizer.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.group.ORM_O01_ORDER;
import ca.uhn.hl7v2.model.v251.message.ORM_O01;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.util.ArrayList;
import java.util.List;
import labops.events.CodedConcept;
import labops.events.CollectionMode;
import labops.events.CollectionType;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.events.OrderNumber;
import labops.events.OrderPriority;
import labops.events.PatientReference;
import labops.events.Specimen;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;

/** ORM^O01: a {@code PatientEvent} and one {@code LabOrderEvent} per ORC/OBR group. */
final class OrderMapper {

    private OrderMapper() {
    }

    static List<CanonicalEvent> map(ORM_O01 orm, Hl7Normalizer.Context context) throws UnmappableMessageException {
        PID pid = orm.getPATIENT().getPID();
        PatientReference patient = PatientMapper.reference(pid);
        List<ORM_O01_ORDER> orders;
        try {
            orders = orm.getORDERAll();
        } catch (HL7Exception e) {
            throw new UnmappableMessageException("ORM^O01 order groups cannot be read");
        }
        if (orders.isEmpty()) {
            throw new UnmappableMessageException("ORM^O01 has no ORC/OBR order group");
        }
        var events = new ArrayList<CanonicalEvent>();
        events.add(PatientMapper.map(pid, context));
        for (int i = 0; i < orders.size(); i++) {
            events.add(order(orders.get(i), i + 1, patient, context));
        }
        return events;
    }

    private static CanonicalEvent order(ORM_O01_ORDER group, int position, PatientReference patient,
                                        Hl7Normalizer.Context context) throws UnmappableMessageException {
        ORC orc = group.getORC();
        OBR obr = group.getORDER_DETAIL().getOBR();
        String where = " (order group " + position + ")";
        OrderNumber placer = first(Fields.orderNumber(orc, 2), Fields.orderNumber(obr, 2));
        OrderNumber filler = first(Fields.orderNumber(orc, 3), Fields.orderNumber(obr, 3));
        if (placer == null && filler == null) {
            throw new UnmappableMessageException("ORC-2/OBR-2 placer order number is missing" + where);
        }
        CodedConcept test = Fields.coded(obr, 4, 0);
        if (test == null) {
            throw new UnmappableMessageException("OBR-4 (universal service identifier) is missing" + where);
        }
        var event = LabOrderEvent.newBuilder()
                .setEventId(context.eventId("order-" + position))
                .setTenantId(context.raw().tenantId())
                .setEnvironment(context.raw().environment())
                .setOccurredAt(context.occurredAt())
                .setSource(context.source())
                .setAction(action(Fields.get(orc, 1, 1), where))
                .setPlacerOrderNumber(placer)
                .setFillerOrderNumber(filler)
                .setPriority(priority(first(Fields.get(orc, 7, 6), Fields.get(obr, 27, 6))))
                .setOrderedAt(first(Fields.instant(orc, 9), Fields.instant(obr, 6)))
                .setOrderingProvider(first(Fields.practitioner(orc, 12), Fields.practitioner(obr, 16)))
                .setTests(List.of(test))
                .setSpecimen(specimen(obr))
                .setCollection(CollectionMode.newBuilder().setMode(CollectionType.IN_LAB).build())
                .setClinicalNotes(notes(group))
                .setPatient(patient)
                .build();
        String key = placer != null ? placer.getValue() : filler.getValue();
        return new CanonicalEvent(Topics.CANONICAL_ORDERS, context.key(key), event);
    }

    /** HL7 table 0119 order control codes. */
    private static OrderAction action(String orderControl, String where) throws UnmappableMessageException {
        if (orderControl == null) {
            throw new UnmappableMessageException("ORC-1 (order control) is missing" + where);
        }
        return switch (orderControl) {
            case "NW" -> OrderAction.NEW;
            case "XO", "SC" -> OrderAction.UPDATE;
            case "CA", "OC", "DC" -> OrderAction.CANCEL;
            case "HD" -> OrderAction.HOLD;
            case "RL" -> OrderAction.RESUME;
            default -> throw new UnmappableMessageException("ORC-1 order control " + orderControl + " is not supported" + where);
        };
    }

    /** TQ-6 priority: S stat, A ASAP, R routine, T timing critical. */
    private static OrderPriority priority(String code) {
        if (code == null) {
            return OrderPriority.UNSPECIFIED;
        }
        return switch (code) {
            case "S" -> OrderPriority.STAT;
            case "A" -> OrderPriority.ASAP;
            case "R", "P" -> OrderPriority.ROUTINE;
            case "T" -> OrderPriority.URGENT;
            default -> OrderPriority.UNSPECIFIED;
        };
    }

    /** OBR-15 specimen source (type in component 1, collection method in 3), OBR-7 collection time. */
    private static Specimen specimen(OBR obr) throws UnmappableMessageException {
        String type = Fields.get(obr, 15, 0, 1);
        var collectedAt = Fields.instant(obr, 7);
        String method = Fields.get(obr, 15, 0, 3);
        if (type == null && collectedAt == null && method == null) {
            return null;
        }
        return new Specimen(type == null ? null : new CodedConcept(type, "http://terminology.hl7.org/CodeSystem/v2-0070", null),
                collectedAt, method == null ? null : new CodedConcept(method, null, null));
    }

    private static List<String> notes(ORM_O01_ORDER group) {
        var notes = new ArrayList<String>();
        try {
            for (NTE nte : group.getORDER_DETAIL().getNTEAll()) {
                for (int rep = 0; rep < Fields.repetitions(nte, 3); rep++) {
                    String text = Fields.get(nte, 3, rep, 1);
                    if (text != null) {
                        notes.add(text);
                    }
                }
            }
        } catch (HL7Exception e) {
            return notes;
        }
        return notes;
    }

    private static <T> T first(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
