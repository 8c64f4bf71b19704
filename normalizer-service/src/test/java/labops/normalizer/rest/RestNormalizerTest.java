package labops.normalizer.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import labops.events.AdministrativeSex;
import labops.events.CodedConcept;
import labops.events.CollectionType;
import labops.events.Environment;
import labops.events.Interpretation;
import labops.events.LabResultEvent;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.events.OrderNumber;
import labops.events.OrderPriority;
import labops.events.PatientEvent;
import labops.events.Quantity;
import labops.events.ResultStatus;
import labops.events.SourceFormat;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.rest.RestResults;
import labops.schemas.topic.Topics;
import org.junit.jupiter.api.Test;

/** A REST JSON order as ingress stored it, to canonical events with every field the format carries. */
class RestNormalizerTest {

    private static final String ORDER = """
            {"orderNumber": "PON-2026-0042", "orderNumberSystem": "https://lis.small-lab.example/orders",
             "action": "%s", "priority": "%s", "orderedAt": "2026-11-25T08:25:00Z",
             "orderingProvider": {"id": "1234567893", "system": "http://hl7.org/fhir/sid/us-npi", "family": "House"},
             "tests": [{"code": "%s", "system": "urn:small-lab:tests", "display": "Glucose (local)"}],
             "specimen": {"collectedAt": "2026-11-25T08:15:00Z"},
             "notes": ["Fasting since midnight"],
             "patient": {"mrn": "MRN-12345", "mrnSystem": "https://lis.small-lab.example/mrn", "family": "Doe",
                         "given": ["Jane"], "birthDate": "1970-01-01", "sex": "female", "phone": "+1 555 0100",
                         "address": {"lines": ["1 Main St"], "city": "Springfield", "postalCode": "12345"}},
             "homeCollection": {"windowStart": "2026-11-26T08:00:00Z", "windowEnd": "2026-11-26T12:00:00Z"},
             "someFieldOfTheirs": "kept in the raw record, ignored here"}""";

    private static final MappingProfile PROFILE = new MappingProfile(5, Instant.now(), "admin", new MappingRules(
            List.of(new MappingRules.TestCode("GLU", "2345-7", "Glucose")), MappingRules.UnknownTestCodes.DEAD_LETTER,
            List.of(new MappingRules.PriorityCode("E", "STAT")), null, new MappingRules.Code("SER", "Serum"), null));

    private final RestNormalizer normalizer = new RestNormalizer(Topics.RAW_REST, SourceFormat.REST);

    @Test
    void anOrderBecomesItsPatientAndOrderWithTheProfileApplied() throws Exception {
        var events = normalizer.normalize(raw(ORDER.formatted("new", "E", "GLU")), PROFILE);

        assertThat(events).extracting(e -> e.topic()).containsExactly(Topics.CANONICAL_PATIENTS, Topics.CANONICAL_ORDERS);
        var patient = (PatientEvent) events.get(0).value();
        assertThat(patient.getIdentifiers().get(0).getValue()).isEqualTo("MRN-12345");
        assertThat(patient.getIdentifiers().get(0).getAssigningAuthority()).isEqualTo("https://lis.small-lab.example/mrn");
        assertThat(patient.getNames().get(0).getGiven()).containsExactly("Jane");
        assertThat(patient.getBirthDate()).isEqualTo(LocalDate.of(1970, 1, 1));
        assertThat(patient.getAdministrativeSex()).isEqualTo(AdministrativeSex.FEMALE);
        assertThat(patient.getTelecom().get(0).getValue()).isEqualTo("+1 555 0100");
        assertThat(events.get(0).key()).as("keyed like the raw message, not by the MRN").isEqualTo("lab-a|patient-hash");

        var order = (LabOrderEvent) events.get(1).value();
        assertThat(order.getSource().getFormat()).isEqualTo(SourceFormat.REST);
        assertThat(order.getSource().getMappingProfileVersion()).isEqualTo(5);
        assertThat(order.getAction()).isEqualTo(OrderAction.NEW);
        assertThat(order.getPlacerOrderNumber()).isEqualTo(new OrderNumber("PON-2026-0042",
                "https://lis.small-lab.example/orders"));
        assertThat(order.getPriority()).as("the tenant's own priority code").isEqualTo(OrderPriority.STAT);
        assertThat(order.getTests()).containsExactly(new CodedConcept("2345-7", "http://loinc.org", "Glucose"));
        assertThat(order.getOrderedAt()).isEqualTo(Instant.parse("2026-11-25T08:25:00Z"));
        assertThat(order.getOrderingProvider().getIdentifier().getValue()).isEqualTo("1234567893");
        assertThat(order.getSpecimen().getType().getCode()).as("the profile's default specimen").isEqualTo("SER");
        assertThat(order.getSpecimen().getCollectedAt()).isEqualTo(Instant.parse("2026-11-25T08:15:00Z"));
        assertThat(order.getCollection().getMode()).isEqualTo(CollectionType.HOME_COLLECTION);
        assertThat(order.getCollection().getAddress().getCity()).as("at the patient's address").isEqualTo("Springfield");
        assertThat(order.getCollection().getWindowEnd()).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
        assertThat(order.getClinicalNotes()).containsExactly("Fasting since midnight");
        assertThat(order.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("MRN-12345");
        assertThat(events.get(1).key()).isEqualTo("lab-a|PON-2026-0042");
    }

    @Test
    void anApprovedImportRowIsReadTheSameAndSaysItCameFromCsv() throws Exception {
        var rows = new RestNormalizer(Topics.RAW_CSV, SourceFormat.CSV);

        var order = (LabOrderEvent) rows.normalize(raw(ORDER.formatted("new", "E", "GLU")), PROFILE).get(1).value();

        assertThat(rows.topic()).isEqualTo(Topics.RAW_CSV);
        assertThat(order.getSource().getFormat()).isEqualTo(SourceFormat.CSV);
        assertThat(order.getTests().get(0).getCode()).isEqualTo("2345-7");
    }

    @Test
    void actionsAndPrioritiesReadAsDocumented() throws Exception {
        var cancel = (LabOrderEvent) normalizer.normalize(raw(ORDER.formatted("cancel", "urgent", "GLU")), PROFILE)
                .get(1).value();
        var hold = (LabOrderEvent) normalizer.normalize(raw(ORDER.formatted("hold", "routine", "GLU")), PROFILE)
                .get(1).value();

        assertThat(cancel.getAction()).isEqualTo(OrderAction.CANCEL);
        assertThat(cancel.getPriority()).isEqualTo(OrderPriority.URGENT);
        assertThat(hold.getAction()).isEqualTo(OrderAction.HOLD);
        assertThat(hold.getPriority()).isEqualTo(OrderPriority.ROUTINE);
    }

    @Test
    void anUnknownLocalCodeIsRefusedNamingThePointer() {
        assertThatThrownBy(() -> normalizer.normalize(raw(ORDER.formatted("new", "stat", "XYZ")), PROFILE))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("/tests/0 test code XYZ is not in the mapping profile (version 5)");
        assertThatThrownBy(() -> normalizer.normalize(raw("{\"orderNumber\": 7, \"tests\": {}}"), PROFILE))
                .isInstanceOf(UnmappableMessageException.class).hasMessageContaining("documented format");
    }

    @Test
    void aResultBecomesAResultEventNamingWhoEnteredIt() throws Exception {
        String result = """
                {"orderNumber": "PON-2026-0042", "orderNumberSystem": "https://lis.small-lab.example/orders",
                 "status": "corrected", "issuedAt": "2026-11-25T11:30:00Z",
                 "patient": {"mrn": "MRN-12345", "mrnSystem": "https://lis.small-lab.example/mrn"},
                 "observations": [
                   {"code": "GLU", "system": "urn:small-lab:tests", "value": "182", "unit": "mg/dL",
                    "referenceRange": "70-99", "interpretation": "critical-high", "observedAt": "2026-11-25T11:05:00Z"},
                   {"code": "600-7", "system": "http://loinc.org", "value": "no growth"}],
                 "notes": ["Repeated after a haemolysed first sample"]}""";
        var raw = new RawRecord("raw-r1", "lab-a", Environment.SANDBOX, "rest", "10.0.0.9", Instant.now(),
                result.getBytes(StandardCharsets.UTF_8), "lab-a|patient-hash", RestResults.CONTENT_TYPE, "jdoe");

        var events = normalizer.normalize(raw, PROFILE);

        assertThat(events).extracting(e -> e.topic()).containsExactly(Topics.CANONICAL_RESULTS);
        var event = (LabResultEvent) events.get(0).value();
        assertThat(event.getStatus()).isEqualTo(ResultStatus.CORRECTED);
        assertThat(event.getEnteredBy()).isEqualTo("jdoe");
        assertThat(event.getPlacerOrderNumber()).isEqualTo(new OrderNumber("PON-2026-0042",
                "https://lis.small-lab.example/orders"));
        assertThat(event.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("MRN-12345");
        var glucose = event.getObservations().get(0);
        assertThat(glucose.getCode().getCode()).as("the profile's local code mapped").isEqualTo("2345-7");
        assertThat(glucose.getValue()).isEqualTo(new Quantity(182.0, "mg/dL", "http://unitsofmeasure.org"));
        assertThat(glucose.getReferenceRange().getLow()).isEqualTo(70.0);
        assertThat(glucose.getInterpretation()).containsExactly(Interpretation.CRITICAL_HIGH);
        assertThat(event.getObservations().get(1).getValue()).isEqualTo("no growth");
        assertThat(event.getNotes()).containsExactly("Repeated after a haemolysed first sample");
        assertThat(event.getSource().getRawMessageId()).isEqualTo("raw-r1");

        var system = new RawRecord("raw-r2", "lab-a", Environment.SANDBOX, "rest", "10.0.0.9", Instant.now(),
                result.getBytes(StandardCharsets.UTF_8), "lab-a|patient-hash", RestResults.CONTENT_TYPE, null);
        assertThat(((LabResultEvent) normalizer.normalize(system, PROFILE).get(0).value()).getEnteredBy()).isNull();
        var empty = new RawRecord("raw-r3", "lab-a", Environment.SANDBOX, "rest", "10.0.0.9", Instant.now(),
                "{\"orderNumber\": \"PON-1\", \"patient\": {\"mrn\": \"M\"}, \"observations\": []}"
                        .getBytes(StandardCharsets.UTF_8), "k", RestResults.CONTENT_TYPE, null);
        assertThatThrownBy(() -> normalizer.normalize(empty, PROFILE)).isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("/observations");
    }

    private static RawRecord raw(String json) {
        return new RawRecord("raw-1", "lab-a", Environment.SANDBOX, "rest", "10.0.0.9", Instant.now(),
                json.getBytes(StandardCharsets.UTF_8), "lab-a|patient-hash");
    }
}
