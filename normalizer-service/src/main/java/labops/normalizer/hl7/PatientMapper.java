package labops.normalizer.hl7;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import java.util.ArrayList;
import java.util.List;
import labops.normalizer.raw.EventContext;
import labops.events.Address;
import labops.events.AdministrativeSex;
import labops.events.ContactPoint;
import labops.events.ContactSystem;
import labops.events.Identifier;
import labops.events.PatientAction;
import labops.events.PatientEvent;
import labops.events.PatientReference;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;

/**
 * PID to {@code PatientEvent} and to the patient reference orders and results carry; ADT^A01, A04 and A08 (one
 * structure from 2.5 on) upsert the patient, ADT^A40 merges: the surviving identifiers from PID-3, the retired ones
 * from MRG-1. Patient events are keyed like the raw message ({@code tenant|keyed hash}), never by identifier.
 */
final class PatientMapper {

    private PatientMapper() {
    }

    /** PID-3, the MRN first when the tenant's profile names it. */
    static PatientReference reference(Segment pid, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        List<Identifier> identifiers = pid == null ? List.of() : Fields.identifiers(pid, 3);
        if (identifiers.isEmpty()) {
            throw new UnmappableMessageException("PID-3 (patient identifier list) is missing");
        }
        return new PatientReference(context.profile().identifiers(identifiers));
    }

    /** ADT^A01, A04, A08: the first PID. */
    static List<CanonicalEvent> map(List<Segment> segments, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        Segment pid = first(segments, "PID");
        return List.of(map(pid, reference(pid, context), context));
    }

    /** One patient group of a merge: the surviving patient's PID and the MRG after it (null until read). */
    private record Merge(Segment pid, Segment mrg) {
    }

    /** ADT^A40: each PID starts a patient group, the MRG after it names the identifiers it retires. */
    static List<CanonicalEvent> merge(List<Segment> segments, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        var patients = new ArrayList<Merge>();
        for (Segment segment : segments) {
            if (segment.getName().equals("PID")) {
                patients.add(new Merge(segment, null));
            } else if (segment.getName().equals("MRG") && !patients.isEmpty()
                    && patients.get(patients.size() - 1).mrg() == null) {
                patients.set(patients.size() - 1, new Merge(patients.get(patients.size() - 1).pid(), segment));
            }
        }
        if (patients.isEmpty()) {
            throw new UnmappableMessageException("PID-3 (patient identifier list) is missing");
        }
        var events = new ArrayList<CanonicalEvent>();
        for (int i = 0; i < patients.size(); i++) {
            Segment mrg = patients.get(i).mrg();
            List<Identifier> retired = mrg == null ? List.of() : Fields.identifiers(mrg, 1);
            if (retired.isEmpty()) {
                throw new UnmappableMessageException("MRG-1 (prior patient identifier list) is missing (patient group "
                        + (i + 1) + ")");
            }
            Segment pid = patients.get(i).pid();
            events.add(event(pid, "merge-" + (i + 1), PatientAction.MERGE, retired, reference(pid, context), context));
        }
        return events;
    }

    /** The patient upserted, with the reference {@link #reference} read from the same PID. */
    static CanonicalEvent map(Segment pid, PatientReference reference, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        return event(pid, "patient", PatientAction.UPSERT, List.of(), reference, context);
    }

    private static Segment first(List<Segment> segments, String name) {
        for (Segment segment : segments) {
            if (segment.getName().equals(name)) {
                return segment;
            }
        }
        return null;
    }

    private static CanonicalEvent event(Segment pid, String part, PatientAction action, List<Identifier> merged,
                                        PatientReference reference, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        var event = context.patient(part, action)
                .setIdentifiers(reference.getIdentifiers())
                .setMergedIdentifiers(merged)
                .setNames(Fields.names(pid, 5))
                .setBirthDate(Fields.date(pid, 7))
                .setAdministrativeSex(sex(Fields.get(pid, 8, 1)))
                .setTelecom(telecom(pid))
                .setAddresses(addresses(pid))
                .build();
        return new CanonicalEvent(Topics.CANONICAL_PATIENTS, context.patientKey(), event);
    }

    private static AdministrativeSex sex(String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "M" -> AdministrativeSex.MALE;
            case "F" -> AdministrativeSex.FEMALE;
            case "O", "A" -> AdministrativeSex.OTHER;
            default -> AdministrativeSex.UNKNOWN;
        };
    }

    /** PID-13 (home) and PID-14 (business) phone numbers; XTN-1 in 2.3, XTN-12 or XTN-1 later, XTN-4 for e-mail. */
    private static List<ContactPoint> telecom(Segment pid) {
        var contacts = new ArrayList<ContactPoint>();
        for (int field : new int[] {13, 14}) {
            for (Type repetition : Fields.all(pid, field)) {
                Type[] xtn = Fields.components(repetition);
                String email = Fields.value(xtn, 4);
                String number = Fields.value(xtn, 12) != null ? Fields.value(xtn, 12) : Fields.value(xtn, 1);
                String use = field == 13 ? "home" : "work";
                if (number != null) {
                    contacts.add(new ContactPoint(ContactSystem.PHONE, number, use));
                }
                if (email != null) {
                    contacts.add(new ContactPoint(ContactSystem.EMAIL, email, use));
                }
            }
        }
        return contacts;
    }

    /** XAD: street (1), other designation (2), city (3), state (4), postal code (5), country (6), type (7). */
    static List<Address> addresses(Segment pid) {
        var addresses = new ArrayList<Address>();
        for (Type repetition : Fields.all(pid, 11)) {
            Type[] xad = Fields.components(repetition);
            var lines = new ArrayList<String>();
            for (int component : new int[] {1, 2}) {
                String line = Fields.value(xad, component);
                if (line != null) {
                    lines.add(line);
                }
            }
            String city = Fields.value(xad, 3);
            if (!lines.isEmpty() || city != null) {
                addresses.add(new Address(lines, city, Fields.value(xad, 4), Fields.value(xad, 5),
                        Fields.value(xad, 6), Fields.value(xad, 7)));
            }
        }
        return addresses;
    }
}
