package labops.normalizer.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import java.util.ArrayList;
import java.util.List;
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
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;

/** ORU^R01: one {@code LabResultEvent} per ORDER_OBSERVATION group, linked to its order by OBR-2/OBR-3. */
final class ResultMapper {

    private ResultMapper() {
    }

    static List<CanonicalEvent> map(ORU_R01 oru, EventContext<Hl7Profile> context) throws UnmappableMessageException {
        var events = new ArrayList<CanonicalEvent>();
        try {
            int group = 0;
            for (ORU_R01_PATIENT_RESULT patientResult : oru.getPATIENT_RESULTAll()) {
                PatientReference patient = PatientMapper.reference(patientResult.getPATIENT().getPID(), context);
                for (ORU_R01_ORDER_OBSERVATION order : patientResult.getORDER_OBSERVATIONAll()) {
                    events.add(result(order, ++group, patient, context));
                }
            }
        } catch (HL7Exception e) {
            throw new UnmappableMessageException("ORU^R01 result groups cannot be read");
        }
        if (events.isEmpty()) {
            throw new UnmappableMessageException("ORU^R01 has no OBR result group");
        }
        return events;
    }

    private static CanonicalEvent result(ORU_R01_ORDER_OBSERVATION group, int position, PatientReference patient,
                                         EventContext<Hl7Profile> context) throws HL7Exception, UnmappableMessageException {
        OBR obr = group.getOBR();
        String where = " (result group " + position + ")";
        OrderNumber placer = Fields.orderNumber(obr, 2);
        if (placer == null && group.getORC() != null) {
            placer = Fields.orderNumber(group.getORC(), 2);
        }
        OrderNumber filler = Fields.orderNumber(obr, 3);
        if (placer == null && filler == null) {
            throw new UnmappableMessageException("OBR-2/OBR-3 order number is missing" + where);
        }
        var observations = new ArrayList<Observation>();
        for (ORU_R01_OBSERVATION observation : group.getOBSERVATIONAll()) {
            observations.add(observation(observation.getOBX(), OrderMapper.notes(observation.getNTEAll()), where,
                    context.profile()));
        }
        var event = context.result("result-" + position)
                .setStatus(status(Fields.get(obr, 25, 1), where))
                .setPlacerOrderNumber(placer)
                .setFillerOrderNumber(filler)
                .setPatient(patient)
                .setObservations(observations)
                .setIssuedAt(Fields.instant(obr, 22))
                .setNotes(OrderMapper.notes(group.getNTEAll()))
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

    private static Observation observation(OBX obx, List<String> notes, String where, Hl7Profile profile)
            throws UnmappableMessageException {
        CodedConcept code = profile.test(Fields.coded(obx, 3, 0), "OBX-3.1" + where, false);
        if (code == null) {
            throw new UnmappableMessageException("OBX-3 (observation identifier) is missing" + where);
        }
        String producer = Fields.get(obx, 15, 2) != null ? Fields.get(obx, 15, 2) : Fields.get(obx, 15, 1);
        return Observation.newBuilder()
                .setCode(code)
                .setValue(value(obx, where))
                .setReferenceRange(range(Fields.get(obx, 7, 1)))
                .setInterpretation(interpretations(obx))
                .setObservedAt(Fields.instant(obx, 14))
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
     * FT as text, repetitions one line each and FT's \.br\ as a line break.
     */
    private static Object value(OBX obx, String where) throws UnmappableMessageException {
        String type = Fields.get(obx, 2, 1);
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
            case "TS", "DTM" -> String.valueOf(Fields.instant(obx, 5));
            case "TX", "FT" -> text(obx);
            default -> raw;
        };
    }

    private static Quantity quantity(OBX obx, String number, String where) throws UnmappableMessageException {
        try {
            String unit = Fields.get(obx, 6, 1);
            return new Quantity(Double.parseDouble(number), unit == null ? "1" : unit, "http://unitsofmeasure.org");
        } catch (NumberFormatException e) {
            throw new UnmappableMessageException("OBX-5 is not numeric although OBX-2 says " + Fields.get(obx, 2, 1)
                    + where);
        }
    }

    /** SN: comparator (1), first number (2), separator or suffix (3), second number (4). */
    private static Object structuredNumeric(OBX obx, String where) throws UnmappableMessageException {
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

    private static String text(OBX obx) {
        var lines = new ArrayList<String>();
        for (int rep = 0; rep < Fields.repetitions(obx, 5); rep++) {
            String line = Fields.get(obx, 5, rep, 1);
            lines.add(line == null ? "" : line.replace("\\.br\\", "\n"));
        }
        return String.join("\n", lines);
    }

    /** OBX-7 as "low-high", "<high" or ">low"; anything else is kept as text. */
    private static ReferenceRange range(String text) {
        if (text == null) {
            return null;
        }
        try {
            if (text.startsWith("<")) {
                return new ReferenceRange(null, Double.parseDouble(text.substring(1).trim()), text);
            }
            if (text.startsWith(">")) {
                return new ReferenceRange(Double.parseDouble(text.substring(1).trim()), null, text);
            }
            int dash = text.indexOf('-', 1);
            if (dash > 0) {
                return new ReferenceRange(Double.parseDouble(text.substring(0, dash).trim()),
                        Double.parseDouble(text.substring(dash + 1).trim()), text);
            }
        } catch (NumberFormatException notNumeric) {
            // kept as text below
        }
        return new ReferenceRange(null, null, text);
    }

    /** HL7 table 0078 abnormal flags. */
    private static List<Interpretation> interpretations(OBX obx) {
        var flags = new ArrayList<Interpretation>();
        for (int rep = 0; rep < Fields.repetitions(obx, 8); rep++) {
            String flag = Fields.get(obx, 8, rep, 1);
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
