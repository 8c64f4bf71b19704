package labops.normalizer.hl7;

import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import labops.events.Attachment;
import labops.normalizer.raw.EventContext;
import labops.events.CodedConcept;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.events.OrderNumber;
import labops.events.PatientReference;
import labops.events.Provider;
import labops.events.Quantity;
import labops.events.ReferenceRange;
import labops.events.ResultStatus;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.ReferenceRanges;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;

/** ORU^R01: one {@code LabResultEvent} per OBR (an ORDER_OBSERVATION group), linked to its order by OBR-2/OBR-3. */
final class ResultMapper {

    private ResultMapper() {
    }

    /** One OBR with the PID and the ORC before it, the notes right after it and its observations. */
    private record ResultGroup(Segment pid, Segment orc, Segment obr, List<Segment> notes,
                               List<ObservationSegments> observations) {
    }

    /** One OBX and the notes right after it. */
    private record ObservationSegments(Segment obx, List<Segment> notes) {
    }

    /**
     * The segments in the order received: a PID starts a patient's results, an OBR a result group (with the ORC just
     * before it, if any), an OBX one of its observations. OBX after an SPM describe the specimen, not the result.
     */
    static List<CanonicalEvent> map(List<Segment> segments, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        var groups = new ArrayList<ResultGroup>();
        Segment pid = null;
        Segment orc = null;
        boolean specimen = false;
        String previous = "";
        for (Segment segment : segments) {
            String name = segment.getName();
            ResultGroup current = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            switch (name) {
                case "PID" -> {
                    pid = segment;
                    orc = null;
                }
                case "ORC" -> orc = segment;
                case "OBR" -> {
                    groups.add(new ResultGroup(pid, orc, segment, new ArrayList<>(), new ArrayList<>()));
                    orc = null;
                    specimen = false;
                }
                case "SPM" -> specimen = true;
                case "OBX" -> {
                    if (current != null && !specimen) {
                        current.observations().add(new ObservationSegments(segment, new ArrayList<>()));
                    }
                }
                case "NTE" -> {
                    if (current != null && previous.equals("OBR")) {
                        current.notes().add(segment);
                    } else if (current != null && previous.equals("OBX") && !specimen) {
                        current.observations().get(current.observations().size() - 1).notes().add(segment);
                    }
                }
                default -> {
                }
            }
            previous = name.equals("NTE") ? previous : name;
        }
        if (groups.isEmpty()) {
            throw new UnmappableMessageException("ORU^R01 has no OBR result group");
        }
        var events = new ArrayList<CanonicalEvent>();
        for (int i = 0; i < groups.size(); i++) {
            events.add(result(groups.get(i), i + 1, context));
        }
        return events;
    }

    private static CanonicalEvent result(ResultGroup group, int position, EventContext<Hl7Profile> context)
            throws UnmappableMessageException {
        PatientReference patient = PatientMapper.reference(group.pid(), context);
        Segment obr = group.obr();
        String where = " (result group " + position + ")";
        OrderNumber placer = Fields.orderNumber(obr, 2);
        if (placer == null && group.orc() != null) {
            placer = Fields.orderNumber(group.orc(), 2);
        }
        OrderNumber filler = Fields.orderNumber(obr, 3);
        if (placer == null && filler == null) {
            throw new UnmappableMessageException("OBR-2/OBR-3 order number is missing" + where);
        }
        var observations = new ArrayList<Observation>();
        for (ObservationSegments observation : group.observations()) {
            observations.add(observation(observation.obx(), OrderMapper.notes(observation.notes()), where,
                    context.profile()));
        }
        var event = context.result("result-" + position)
                .setStatus(status(Fields.get(obr, 25, 1), where))
                .setPlacerOrderNumber(placer)
                .setFillerOrderNumber(filler)
                .setPatient(patient)
                .setObservations(observations)
                .setIssuedAt(Fields.instant(obr, 22, context.profile().zone()))
                .setNotes(OrderMapper.notes(group.notes()))
                .build();
        return new CanonicalEvent(Topics.CANONICAL_RESULTS,
                context.key(placer != null ? placer.getValue() : filler.getValue()), event);
    }

    /** HL7 table 0123 result status. */
    private static ResultStatus status(String code, String where) throws UnmappableMessageException {
        if (code == null) {
            throw new UnmappableMessageException("OBR-25 (result status) is missing" + where);
        }
        return switch (code) {
            case "P", "R", "S", "I" -> ResultStatus.PRELIMINARY;
            case "F" -> ResultStatus.FINAL;
            case "C", "A" -> ResultStatus.CORRECTED;
            case "X" -> ResultStatus.CANCELLED;
            default -> throw new UnmappableMessageException("OBR-25 result status " + code + " is not supported" + where);
        };
    }

    private static Observation observation(Segment obx, List<String> notes, String where, Hl7Profile profile)
            throws UnmappableMessageException {
        CodedConcept code = profile.test(Fields.coded(obx, 3, 0), "OBX-3.1" + where, false);
        if (code == null) {
            throw new UnmappableMessageException("OBX-3 (observation identifier) is missing" + where);
        }
        String producer = Fields.get(obx, 15, 2) != null ? Fields.get(obx, 15, 2) : Fields.get(obx, 15, 1);
        return Observation.newBuilder()
                .setCode(code)
                .setValue(value(obx, where, profile.zone()))
                .setReferenceRange(ReferenceRanges.parse(Fields.get(obx, 7, 1)))
                .setInterpretation(interpretations(obx))
                .setObservedAt(Fields.instant(obx, 14, profile.zone()))
                .setPerformer(producer == null ? null : new Provider(null, null, producer))
                .setStatus(observationStatus(Fields.get(obx, 11, 1)))
                .setNotes(notes)
                .build();
    }

    /** HL7 table 0085, OBX-11; a code outside it leaves the observation's status to its OBR's. */
    private static ResultStatus observationStatus(String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "P", "R", "S", "I" -> ResultStatus.PRELIMINARY;
            case "F" -> ResultStatus.FINAL;
            case "C" -> ResultStatus.CORRECTED;
            case "X", "D", "W" -> ResultStatus.CANCELLED;
            default -> null;
        };
    }

    /**
     * OBX-2 value type decides how OBX-5 reads: NM, and SN without comparator or second number, as a quantity with the
     * OBX-6 unit; other SN as text ("<5", "1:80"); CE/CWE coded; DT as an ISO date, TS as an ISO instant; ST, TX and
     * FT as text, repetitions one line each and FT's \.br\ as a line break; ED as an attachment.
     */
    private static Object value(Segment obx, String where, ZoneId zone) throws UnmappableMessageException {
        String type = Fields.get(obx, 2, 1);
        if ("ED".equals(type)) {
            return attachment(obx, where);
        }
        String raw = Fields.get(obx, 5, 1);
        if (raw == null && !"SN".equals(type)) {
            return null;
        }
        if (type == null) {
            return raw;
        }
        return switch (type) {
            case "NM" -> quantity(obx, raw, where);
            case "SN" -> structuredNumeric(obx, where);
            case "CE", "CWE", "CNE" -> Fields.coded(obx, 5, 0);
            case "DT" -> String.valueOf(Fields.date(obx, 5));
            case "TS", "DTM" -> String.valueOf(Fields.instant(obx, 5, zone));
            case "TX", "FT" -> text(obx);
            default -> raw;
        };
    }

    /**
     * ED: type of data (2) and subtype (3) make the MIME type, encoding (4) says how the data (5) is written: Base64,
     * Hex, or A (plain text).
     */
    private static Attachment attachment(Segment obx, String where) throws UnmappableMessageException {
        String data = Fields.get(obx, 5, 5);
        if (data == null) {
            return null;
        }
        String kind = Fields.get(obx, 5, 2);
        String subtype = Fields.get(obx, 5, 3);
        String contentType = kind == null ? "application/octet-stream"
                : (kind.contains("/") ? kind : kind.toLowerCase(Locale.ROOT) + "/" + (subtype == null ? "octet-stream"
                : subtype.toLowerCase(Locale.ROOT)));
        String encoding = Fields.get(obx, 5, 4);
        try {
            byte[] bytes = switch (encoding == null ? "A" : encoding.toUpperCase(Locale.ROOT)) {
                case "BASE64" -> Base64.getMimeDecoder().decode(data);
                case "HEX" -> HexFormat.of().parseHex(data);
                default -> data.getBytes(StandardCharsets.UTF_8);
            };
            return new Attachment(contentType, ByteBuffer.wrap(bytes));
        } catch (IllegalArgumentException e) {
            throw new UnmappableMessageException("OBX-5.5 (encapsulated data) is not " + encoding + " although OBX-5.4 "
                    + "says so" + where);
        }
    }

    private static Quantity quantity(Segment obx, String number, String where) throws UnmappableMessageException {
        try {
            String unit = Fields.get(obx, 6, 1);
            return new Quantity(Double.parseDouble(number), unit == null ? "1" : unit, "http://unitsofmeasure.org");
        } catch (NumberFormatException e) {
            throw new UnmappableMessageException("OBX-5 is not numeric although OBX-2 says " + Fields.get(obx, 2, 1)
                    + where);
        }
    }

    /** SN: comparator (1), first number (2), separator or suffix (3), second number (4). */
    private static Object structuredNumeric(Segment obx, String where) throws UnmappableMessageException {
        String comparator = Fields.get(obx, 5, 1);
        String first = Fields.get(obx, 5, 2);
        String separator = Fields.get(obx, 5, 3);
        String second = Fields.get(obx, 5, 4);
        if (first == null) {
            return null;
        }
        if ((comparator == null || "=".equals(comparator)) && separator == null && second == null) {
            return quantity(obx, first, where);
        }
        return (comparator == null ? "" : comparator) + first + (separator == null ? "" : separator)
                + (second == null ? "" : second);
    }

    private static String text(Segment obx) {
        var lines = new ArrayList<String>();
        for (Type repetition : Fields.all(obx, 5)) {
            String line = Fields.component(repetition, 1);
            lines.add(line == null ? "" : line.replace("\\.br\\", "\n"));
        }
        return String.join("\n", lines);
    }

    /** HL7 table 0078 abnormal flags. */
    private static List<Interpretation> interpretations(Segment obx) {
        var flags = new ArrayList<Interpretation>();
        for (Type repetition : Fields.all(obx, 8)) {
            String flag = Fields.component(repetition, 1);
            if (flag == null) {
                continue;
            }
            flags.add(switch (flag) {
                case "N" -> Interpretation.NORMAL;
                case "L" -> Interpretation.LOW;
                case "H" -> Interpretation.HIGH;
                case "LL" -> Interpretation.CRITICAL_LOW;
                case "HH" -> Interpretation.CRITICAL_HIGH;
                case "A" -> Interpretation.ABNORMAL;
                case "AA" -> Interpretation.CRITICAL;
                default -> Interpretation.OTHER;
            });
        }
        return flags;
    }
}
