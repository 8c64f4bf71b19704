package labops.normalizer.hl7;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import labops.normalizer.raw.EventContext;
import labops.events.CodedConcept;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.events.OrderNumber;
import labops.events.OrderPriority;
import labops.events.PatientReference;
import labops.events.Specimen;
import labops.normalizer.profile.ProfileMapping;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;

/**
 * ORM^O01 and OML^O21: a {@code PatientEvent} and one {@code LabOrderEvent} per order group. Both structures are read
 * into the same {@link OrderGroup} first, so what an order means does not depend on which message carried it.
 */
final class OrderMapper {

    private static final String SPECIMEN_TYPES = ProfileMapping.SPECIMEN_TYPES;
    private static final String SPECIMEN_SOURCES = "http://terminology.hl7.org/CodeSystem/v2-0070";

    private OrderMapper() {
    }

    /** One ORC and what follows it: its OBR, the first TQ1 (2.5 on), the SPMs (OML) and the notes after the OBR. */
    private static final class OrderGroup {

        private final Segment orc;
        private Segment obr;
        private Segment timing;
        private final List<Segment> specimens = new ArrayList<>();
        private final List<Segment> notes = new ArrayList<>();

        private OrderGroup(Segment orc) {
            this.orc = orc;
        }

        /** {@code previous}: the last segment other than NTE before this one. */
        private void add(Segment segment, String previous) {
            switch (segment.getName()) {
                case "OBR" -> obr = obr == null ? segment : obr;
                case "TQ1" -> timing = timing == null ? segment : timing;
                case "SPM" -> specimens.add(segment);
                case "NTE" -> {
                    if (previous.equals("OBR") || previous.equals("TCD")) {
                        notes.add(segment);
                    }
                }
                default -> {
                }
            }
        }
    }

    /**
     * The segments in the order received: the PID and the notes right after it (they apply to every order); then
     * each ORC starts an order group. OML's prior results (a PID after the first ORC) are refused rather than guessed
     * at: HL7 does not say where they end.
     */
    static List<CanonicalEvent> map(List<Segment> segments, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        Segment pid = null;
        var patientNotes = new ArrayList<Segment>();
        var groups = new ArrayList<OrderGroup>();
        String previous = "";
        for (Segment segment : segments) {
            String name = segment.getName();
            if (name.equals("ORC")) {
                groups.add(new OrderGroup(segment));
            } else if (!groups.isEmpty()) {
                if (name.equals("PID")) {
                    throw new UnmappableMessageException("PID after an ORC (prior results) is not supported in an "
                            + "order message");
                }
                groups.get(groups.size() - 1).add(segment, previous);
            } else if (name.equals("PID") && pid == null) {
                pid = segment;
            } else if (name.equals("NTE") && (previous.equals("PID") || previous.equals("PD1"))) {
                patientNotes.add(segment);
            }
            previous = name.equals("NTE") ? previous : name;
        }
        return map(pid, patientNotes, groups, context);
    }

    private static List<CanonicalEvent> map(Segment pid, List<Segment> patientNotes, List<OrderGroup> groups,
                                            EventContext<Hl7Profile> context) throws UnmappableMessageException {
        if (groups.isEmpty()) {
            throw new UnmappableMessageException("ORC segment is missing: the message has no order group");
        }
        PatientReference patient = PatientMapper.reference(pid, context);
        List<String> sharedNotes = notes(patientNotes);
        var events = new ArrayList<CanonicalEvent>();
        events.add(PatientMapper.map(pid, patient, context));
        for (int i = 0; i < groups.size(); i++) {
            events.add(order(groups.get(i), i + 1, pid, patient, sharedNotes, context));
        }
        return events;
    }

    private static CanonicalEvent order(OrderGroup group, int position, Segment pid, PatientReference patient,
                                        List<String> patientNotes, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        Segment orc = group.orc;
        String where = " (order group " + position + ")";
        Segment obr = group.obr;
        if (obr == null) {
            throw new UnmappableMessageException("OBR segment is missing" + where);
        }
        OrderNumber placer = first(Fields.orderNumber(orc, 2), Fields.orderNumber(obr, 2));
        OrderNumber filler = first(Fields.orderNumber(orc, 3), Fields.orderNumber(obr, 3));
        if (placer == null && filler == null) {
            throw new UnmappableMessageException("ORC-2/OBR-2 placer order number is missing" + where);
        }
        CodedConcept test = context.profile().test(Fields.coded(obr, 4, 0), "OBR-4.1" + where, true);
        if (test == null) {
            throw new UnmappableMessageException("OBR-4 (universal service identifier) is missing" + where);
        }
        var notes = new ArrayList<>(patientNotes);
        notes.addAll(notes(group.notes));
        var event = context.order("order-" + position)
                .setAction(action(Fields.get(orc, 1, 1), where))
                .setPlacerOrderNumber(placer)
                .setFillerOrderNumber(filler)
                .setPriority(priority(group, context.profile()))
                .setOrderedAt(first(Fields.instant(orc, 9, context.profile().zone()),
                        Fields.instant(obr, 6, context.profile().zone())))
                .setOrderingProvider(first(Fields.practitioner(orc, 12), Fields.practitioner(obr, 16)))
                .setTests(List.of(test))
                .setSpecimen(context.profile().specimen(specimen(group, context.profile().zone())))
                .setCollection(context.profile().collection(pid))
                .setClinicalNotes(notes)
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
            case "HD", "OH" -> OrderAction.HOLD;
            case "RL", "OR" -> OrderAction.RESUME;
            default -> throw new UnmappableMessageException("ORC-1 order control " + orderControl + " is not supported"
                    + where + "; supported: NW, XO, SC, CA, OC, DC, HD, OH, RL, OR");
        };
    }

    /**
     * TQ1-9 (2.5 on), else the TQ priority component: ORC-7.6, else OBR-27.6; the tenant's profile first, then HL7
     * table 0027.
     */
    private static OrderPriority priority(OrderGroup group, Hl7Profile profile) {
        String code = group.timing == null ? null : Fields.get(group.timing, 9, 1);
        if (code == null) {
            code = first(Fields.get(group.orc, 7, 6), Fields.get(group.obr, 27, 6));
        }
        if (code == null) {
            return OrderPriority.UNSPECIFIED;
        }
        OrderPriority mapped = profile.priority(code);
        if (mapped != null) {
            return mapped;
        }
        return switch (code) {
            case "S" -> OrderPriority.STAT;
            case "A" -> OrderPriority.ASAP;
            case "R", "P" -> OrderPriority.ROUTINE;
            case "T" -> OrderPriority.URGENT;
            default -> OrderPriority.UNSPECIFIED;
        };
    }

    /**
     * The first SPM (type SPM-4, collection method SPM-7, collected SPM-17, a range read from its start), else OBR-15 (type in component 1,
     * method in 3) with OBR-7, as 2.3 and 2.4 send it.
     */
    private static Specimen specimen(OrderGroup group, ZoneId zone) throws UnmappableMessageException {
        if (!group.specimens.isEmpty()) {
            Segment spm = group.specimens.get(0);
            CodedConcept type = Fields.coded(spm, 4, 0);
            if (type != null && type.getSystem() == null) {
                type.setSystem(SPECIMEN_TYPES);
            }
            return new Specimen(type, Fields.instant(spm, 17, zone), Fields.coded(spm, 7, 0));
        }
        Segment obr = group.obr;
        String type = Fields.get(obr, 15, 0, 1);
        Instant collectedAt = Fields.instant(obr, 7, zone);
        String method = Fields.get(obr, 15, 0, 3);
        if (type == null && collectedAt == null && method == null) {
            return null;
        }
        return new Specimen(type == null ? null : new CodedConcept(type, SPECIMEN_SOURCES, null), collectedAt,
                method == null ? null : new CodedConcept(method, null, null));
    }

    /** Every repetition of NTE-3, escape sequences decoded. */
    static List<String> notes(List<Segment> segments) {
        var notes = new ArrayList<String>();
        for (Segment nte : segments) {
            for (Type comment : Fields.all(nte, 3)) {
                String text = Fields.component(comment, 1);
                if (text != null) {
                    notes.add(text);
                }
            }
        }
        return notes;
    }

    private static <T> T first(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
