package labops.normalizer.rest;

import java.util.ArrayList;
import java.util.List;
import labops.events.CodedConcept;
import labops.events.Identifier;
import labops.events.Interpretation;
import labops.events.Observation;
import labops.events.OrderNumber;
import labops.events.PatientReference;
import labops.events.Quantity;
import labops.events.ResultStatus;
import labops.events.SourceFormat;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.ReferenceRanges;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.rest.RestResults;
import labops.schemas.topic.Topics;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One result in the REST JSON format (as ingress stored it) to a {@code LabResultEvent}: observation codes through the
 * tenant's mapping profile as for HL7 results, a numeric value with a unit as a quantity, and the person who entered
 * it, when a person did, so they cannot release it.
 */
final class RestResultMapper {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RestResultMapper() {
    }

    static List<CanonicalEvent> normalize(RawRecord raw, MappingProfile profile, SourceFormat format)
            throws UnmappableMessageException {
        RestResults.Result result;
        try {
            result = JSON.readValue(raw.payload(), RestResults.Result.class);
        } catch (JacksonException e) {
            throw new UnmappableMessageException("REST result cannot be read as the documented format");
        }
        if (result.orderNumber() == null || result.patient() == null || result.patient().mrn() == null
                || result.observations() == null || result.observations().isEmpty()) {
            throw new UnmappableMessageException("REST result lacks /orderNumber, /patient/mrn or /observations");
        }
        var context = RestNormalizer.context(raw, profile, format, result.orderNumber());
        List<Identifier> identifiers = RestNormalizer.identifiers(context, result.patient().mrn(),
                result.patient().mrnSystem());
        var observations = new ArrayList<Observation>();
        for (int i = 0; i < result.observations().size(); i++) {
            var observation = result.observations().get(i);
            if (observation == null || observation.code() == null || observation.value() == null) {
                throw new UnmappableMessageException("REST result /observations/" + i + " lacks its code or value");
            }
            observations.add(Observation.newBuilder()
                    .setCode(context.profile().test(new CodedConcept(observation.code(), observation.system(),
                            observation.display()), "/observations/" + i + "/code", false))
                    .setValue(value(observation))
                    .setReferenceRange(ReferenceRanges.parse(observation.referenceRange()))
                    .setInterpretation(interpretation(observation.interpretation()))
                    .setObservedAt(observation.observedAt())
                    .build());
        }
        var event = context.result("result")
                .setStatus(status(result.status()))
                .setPlacerOrderNumber(new OrderNumber(result.orderNumber(), result.orderNumberSystem()))
                .setPatient(new PatientReference(identifiers))
                .setObservations(observations)
                .setIssuedAt(result.issuedAt())
                .setNotes(result.notes() == null ? List.of() : result.notes())
                .setEnteredBy(raw.enteredBy())
                .build();
        return List.of(new CanonicalEvent(Topics.CANONICAL_RESULTS, context.key(result.orderNumber()), event));
    }

    /** A number with a unit is a quantity; anything else is kept as the text sent. */
    private static Object value(RestResults.Observation observation) {
        if (observation.unit() != null && !observation.unit().isBlank()) {
            try {
                return new Quantity(Double.parseDouble(observation.value().trim()), observation.unit(),
                        "http://unitsofmeasure.org");
            } catch (NumberFormatException notNumeric) {
                // kept as text below
            }
        }
        return observation.value();
    }

    private static ResultStatus status(String status) {
        return switch (status == null ? "final" : status) {
            case "preliminary" -> ResultStatus.PRELIMINARY;
            case "corrected" -> ResultStatus.CORRECTED;
            case "cancelled" -> ResultStatus.CANCELLED;
            default -> ResultStatus.FINAL;
        };
    }

    private static List<Interpretation> interpretation(String interpretation) {
        if (interpretation == null) {
            return List.of();
        }
        return List.of(switch (interpretation) {
            case "normal" -> Interpretation.NORMAL;
            case "low" -> Interpretation.LOW;
            case "high" -> Interpretation.HIGH;
            case "critical-low" -> Interpretation.CRITICAL_LOW;
            case "critical-high" -> Interpretation.CRITICAL_HIGH;
            case "abnormal" -> Interpretation.ABNORMAL;
            default -> Interpretation.OTHER;
        });
    }
}
