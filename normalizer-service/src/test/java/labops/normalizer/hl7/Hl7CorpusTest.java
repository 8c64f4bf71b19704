package labops.normalizer.hl7;

import static labops.normalizer.hl7.Hl7TestMessages.raw;
import static labops.normalizer.hl7.Hl7TestMessages.resource;
import static labops.normalizer.hl7.Hl7TestMessages.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import labops.events.CodedConcept;
import labops.events.Interpretation;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.events.OrderAction;
import labops.events.OrderPriority;
import labops.events.PatientAction;
import labops.events.PatientEvent;
import labops.events.Quantity;
import labops.events.ResultStatus;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One message per type, read at every version a hospital sends it in, asserting the canonical values it must yield.
 * The messages are the samples users send ({@code samples/}) and a result with every value type
 * ({@code src/test/resources/hl7}); each names its version in MSH-12, replaced here.
 */
class Hl7CorpusTest {

    private final Hl7Normalizer normalizer = new Hl7Normalizer();

    @ParameterizedTest
    @ValueSource(strings = {"2.4", "2.5", "2.5.1"})
    void omlOrdersCarryTimingSpecimenAndNotesAtBothLevels(String version) throws Exception {
        List<CanonicalEvent> events = normalizer.normalize(raw(sample("oml-o21.hl7").replace("|P|2.5.1", "|P|" + version)));

        assertThat(events).extracting(CanonicalEvent::topic)
                .containsExactly(Topics.CANONICAL_PATIENTS, Topics.CANONICAL_ORDERS, Topics.CANONICAL_ORDERS);
        var patient = (PatientEvent) events.get(0).value();
        assertThat(patient.getIdentifiers()).extracting(i -> i.getValue() + "/" + i.getType())
                .containsExactly("MRN-200001/MR", "900-11-2222/SS");
        var first = (LabOrderEvent) events.get(1).value();
        assertThat(first.getAction()).isEqualTo(OrderAction.NEW);
        assertThat(first.getPriority()).isEqualTo(OrderPriority.STAT);
        assertThat(first.getPlacerOrderNumber().getValue()).isEqualTo("PON-2001");
        assertThat(first.getOrderedAt()).isEqualTo(local("2026-11-25T08:20:00"));
        assertThat(first.getTests()).containsExactly(
                new CodedConcept("2345-7", "http://loinc.org", "Glucose [Mass/volume] in Serum or Plasma"));
        assertThat(first.getSpecimen().getType())
                .isEqualTo(new CodedConcept("SER", "http://terminology.hl7.org/CodeSystem/v2-0487", "Serum"));
        assertThat(first.getSpecimen().getCollectionMethod().getCode()).isEqualTo("VENIP");
        assertThat(first.getSpecimen().getCollectedAt()).isEqualTo(local("2026-11-25T08:15:00"));
        assertThat(first.getClinicalNotes()).containsExactly("Patient prefers morning draws", "Fasting & hydrated");
        assertThat(first.getOrderingProvider().getName().getFamily()).isEqualTo("ORDERER");

        var second = (LabOrderEvent) events.get(2).value();
        assertThat(second.getPriority()).isEqualTo(OrderPriority.ASAP);
        assertThat(second.getSpecimen()).isNull();
        assertThat(second.getClinicalNotes()).containsExactly("Patient prefers morning draws");
    }

    @ParameterizedTest
    @CsvSource({"NW,NEW", "XO,UPDATE", "SC,UPDATE", "CA,CANCEL", "OC,CANCEL", "DC,CANCEL", "HD,HOLD", "OH,HOLD",
            "RL,RESUME", "OR,RESUME"})
    void everyOrderControlCodeHasItsAction(String control, OrderAction action) throws Exception {
        String message = sample("orm-o01-v23.hl7").replace("ORC|NW|", "ORC|" + control + "|");

        assertThat(normalizer.normalize(raw(message)).subList(1, 3))
                .extracting(e -> ((LabOrderEvent) e.value()).getAction()).containsOnly(action);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.3", "2.3.1", "2.4", "2.5", "2.5.1"})
    void ormPriorityComesFromOrc7OrElseObr27(String version) throws Exception {
        String message = sample("orm-o01-v23.hl7").replace("|P|2.3", "|P|" + version)
                .replace("ORC|NW|PON-1002^DEMO-EHR|||||^^^^^S|", "ORC|NW|PON-1002^DEMO-EHR||||||")
                .replaceFirst("(OBR\\|2\\|.*)\r", "$1|||||||||||^^^^^S\r");

        var events = normalizer.normalize(raw(message));

        assertThat(((LabOrderEvent) events.get(1).value()).getPriority()).isEqualTo(OrderPriority.ROUTINE);
        assertThat(((LabOrderEvent) events.get(2).value()).getPriority()).isEqualTo(OrderPriority.STAT);
    }

    @Test
    void patientLevelNotesInAnOrmGoOnEveryOrder() throws Exception {
        String message = sample("orm-o01-v23.hl7").replace("PV1|1|O\r", "NTE|1||Latex allergy\rPV1|1|O\r");

        var events = normalizer.normalize(raw(message));

        assertThat(((LabOrderEvent) events.get(1).value()).getClinicalNotes())
                .containsExactly("Latex allergy", "Fasting since midnight");
        assertThat(((LabOrderEvent) events.get(2).value()).getClinicalNotes()).containsExactly("Latex allergy");
    }

    @ParameterizedTest
    @CsvSource({"A01,2.3", "A04,2.3.1", "A08,2.3", "A08,2.4", "A08,2.5.1"})
    void admitRegisterAndUpdateUpsertThePatient(String event, String version) throws Exception {
        String message = sample("adt-a08.hl7").replace("ADT^A08|", "ADT^" + event + "|")
                .replace("EVN|A08|", "EVN|" + event + "|").replace("|P|2.3", "|P|" + version);

        List<CanonicalEvent> events = normalizer.normalize(raw(message));

        assertThat(events).singleElement().extracting(CanonicalEvent::topic).isEqualTo(Topics.CANONICAL_PATIENTS);
        var patient = (PatientEvent) events.get(0).value();
        assertThat(patient.getAction()).isEqualTo(PatientAction.UPSERT);
        assertThat(patient.getIdentifiers().get(0).getValue()).isEqualTo("MRN-100234");
        assertThat(patient.getBirthDate()).isEqualTo(LocalDate.of(1947, 3, 12));
        assertThat(patient.getAddresses().get(0).getLines()).containsExactly("14 New Street");
        assertThat(patient.getTelecom().get(0).getValue()).isEqualTo("555-0199");
        assertThat(patient.getMergedIdentifiers()).isEmpty();
        assertThat(events.get(0).key()).as("keyed like the raw message, never by identifier")
                .isEqualTo("tenant-a|patient-hash");
    }

    @ParameterizedTest
    @CsvSource({"2.3,ADT^A40", "2.3.1,ADT^A40^ADT_A39", "2.4,ADT^A40^ADT_A39", "2.5.1,ADT^A40^ADT_A39"})
    void aMergeNamesTheSurvivingAndTheRetiredIdentifier(String version, String type) throws Exception {
        String message = sample("adt-a40.hl7").replace("ADT^A40^ADT_A39", type).replace("|P|2.3.1", "|P|" + version);

        var patient = (PatientEvent) normalizer.normalize(raw(message)).get(0).value();

        assertThat(patient.getAction()).isEqualTo(PatientAction.MERGE);
        assertThat(patient.getIdentifiers()).extracting(i -> i.getValue()).containsExactly("MRN-100234");
        assertThat(patient.getMergedIdentifiers()).extracting(i -> i.getValue() + "/" + i.getAssigningAuthority())
                .containsExactly("MRN-999999/DEMO-HOSPITAL");
    }

    @Test
    void eachPatientGroupOfAMergeRetiresTheIdentifiersOfTheMrgAfterIt() throws Exception {
        String message = sample("adt-a40.hl7").stripTrailing()
                + "\rPID|2||MRN-200001^^^DEMO-HOSPITAL^MR||DOE^JANE\rMRG|MRN-888888^^^DEMO-HOSPITAL^MR";

        var events = normalizer.normalize(raw(message));

        assertThat(events).extracting(e -> ((PatientEvent) e.value()).getIdentifiers().get(0).getValue() + " retires "
                        + ((PatientEvent) e.value()).getMergedIdentifiers().get(0).getValue())
                .containsExactly("MRN-100234 retires MRN-999999", "MRN-200001 retires MRN-888888");
    }

    @Test
    void aMergeWithoutMrgIdentifierIsUnmappableNamingTheField() throws Exception {
        String message = sample("adt-a40.hl7").replace("MRG|MRN-999999^^^DEMO-HOSPITAL^MR", "MRG|");

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("MRG-1 (prior patient identifier list) is missing (patient group 1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.3", "2.4", "2.5.1"})
    void everyObservationValueTypeReadsAsItsKind(String version) throws Exception {
        String message = resource("oru-r01-all-types.hl7").replace("|P|2.5.1", "|P|" + version);

        var result = (LabResultEvent) normalizer.normalize(raw(message)).get(0).value();

        assertThat(result.getStatus()).isEqualTo(ResultStatus.FINAL);
        assertThat(result.getPlacerOrderNumber().getValue()).isEqualTo("PON-1001");
        assertThat(result.getFillerOrderNumber().getValue()).isEqualTo("FON-1");
        assertThat(result.getNotes()).containsExactly("Specimen slightly hemolyzed");
        List<Observation> obs = result.getObservations();
        assertThat(obs).hasSize(11);

        assertThat(obs.get(0).getValue()).isEqualTo(new Quantity(6.9, "mmol/L", "http://unitsofmeasure.org"));
        assertThat(obs.get(0).getReferenceRange().getLow()).isEqualTo(3.5);
        assertThat(obs.get(0).getReferenceRange().getHigh()).isEqualTo(5.1);
        assertThat(obs.get(0).getInterpretation()).containsExactly(Interpretation.CRITICAL_HIGH);
        assertThat(obs.get(0).getObservedAt()).isEqualTo(local("2026-11-25T10:45:00"));
        assertThat(obs.get(0).getNotes()).containsExactly("Called to ward 4B");
        assertThat(obs.get(1).getInterpretation()).containsExactly(Interpretation.CRITICAL_LOW);

        assertThat(obs.get(2).getValue()).as("SN with a comparator").isEqualTo("<5");
        assertThat(obs.get(2).getReferenceRange().getHigh()).isEqualTo(10.0);
        assertThat(obs.get(3).getValue()).as("SN ratio").isEqualTo("1:80");
        assertThat(obs.get(3).getStatus()).isEqualTo(ResultStatus.PRELIMINARY);
        assertThat(obs.get(4).getValue()).as("SN plain number")
                .isEqualTo(new Quantity(140.0, "mmol/L", "http://unitsofmeasure.org"));

        assertThat(obs.get(5).getValue()).isEqualTo("Yellow");
        assertThat(obs.get(6).getValue()).as("TX repetitions, escapes decoded")
                .isEqualTo("Benign & unremarkable\nNo malignancy seen");
        assertThat(obs.get(6).getStatus()).isEqualTo(ResultStatus.CORRECTED);
        assertThat(obs.get(7).getValue()).as("FT line break").isEqualTo("Line one\nLine two");
        assertThat(obs.get(8).getValue())
                .isEqualTo(new CodedConcept("3092008", "http://snomed.info/sct", "Staphylococcus aureus"));
        assertThat(obs.get(8).getInterpretation()).containsExactly(Interpretation.CRITICAL);
        assertThat(obs.get(9).getValue()).isEqualTo("2026-11-01");
        assertThat(obs.get(10).getValue()).isEqualTo(local("2026-11-20T08:30:00").toString());
        assertThat(obs.get(10).getStatus()).isEqualTo(ResultStatus.CANCELLED);
    }

    @Test
    void aNonNumericNmValueIsUnmappableNamingTheField() throws Exception {
        String message = resource("oru-r01-all-types.hl7").replace("||6.9|", "||high|");

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("OBX-5 is not numeric although OBX-2 says NM (result group 1)");
    }

    @Test
    void anUnsupportedStructureIsUnmappableNamingIt() throws Exception {
        String message = sample("adt-a08.hl7").replace("ADT^A08|", "SIU^S12|");

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageStartingWith("MSH-9 message structure");
    }

    /** HL7 times without an offset are read in this server's zone, as HAPI does. */
    private static Instant local(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime).toInstant(java.time.ZoneOffset.UTC);
    }
}
