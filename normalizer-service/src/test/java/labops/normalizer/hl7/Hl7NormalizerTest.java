package labops.normalizer.hl7;

import static labops.normalizer.hl7.Hl7TestMessages.raw;
import static labops.normalizer.hl7.Hl7TestMessages.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import labops.events.AdministrativeSex;
import labops.events.Environment;
import labops.events.Interpretation;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.OrderAction;
import labops.events.OrderPriority;
import labops.events.PatientEvent;
import labops.events.Quantity;
import labops.events.ResultStatus;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Hl7NormalizerTest {

    private final Hl7Normalizer normalizer = new Hl7Normalizer();

    @ParameterizedTest
    @ValueSource(strings = {"2.3", "2.4", "2.5", "2.5.1"})
    void ormWithTwoOrderGroupsBecomesAPatientAndTwoOrders(String version) throws Exception {
        List<CanonicalEvent> events = normalizer.normalize(raw(sample("orm-o01-v23.hl7").replace("|P|2.3", "|P|" + version)));

        assertThat(events).extracting(CanonicalEvent::topic)
                .containsExactly(Topics.CANONICAL_PATIENTS, Topics.CANONICAL_ORDERS, Topics.CANONICAL_ORDERS);
        var patient = (PatientEvent) events.get(0).value();
        assertThat(patient.getIdentifiers().get(0).getValue()).isEqualTo("MRN-100234");
        assertThat(patient.getIdentifiers().get(0).getType()).isEqualTo("MR");
        assertThat(patient.getNames().get(0).getFamily()).isEqualTo("TESTPATIENT");
        assertThat(patient.getBirthDate()).isEqualTo(LocalDate.of(1947, 3, 12));
        assertThat(patient.getAdministrativeSex()).isEqualTo(AdministrativeSex.FEMALE);
        assertThat(patient.getAddresses().get(0).getCity()).isEqualTo("Springfield");

        var first = (LabOrderEvent) events.get(1).value();
        var second = (LabOrderEvent) events.get(2).value();
        assertThat(first.getAction()).isEqualTo(OrderAction.NEW);
        assertThat(first.getPlacerOrderNumber().getValue()).isEqualTo("PON-1001");
        assertThat(first.getPlacerOrderNumber().getAssigningAuthority()).isEqualTo("DEMO-EHR");
        assertThat(first.getPriority()).isEqualTo(OrderPriority.ROUTINE);
        assertThat(second.getPriority()).isEqualTo(OrderPriority.STAT);
        assertThat(first.getTests().get(0).getCode()).isEqualTo("2345-7");
        assertThat(first.getTests().get(0).getSystem()).isEqualTo("http://loinc.org");
        assertThat(first.getOrderingProvider().getName().getFamily()).isEqualTo("ORDERER");
        assertThat(first.getSpecimen().getType().getCode()).isEqualTo("SER");
        assertThat(first.getClinicalNotes()).containsExactly("Fasting since midnight");
        assertThat(first.getTenantId()).isEqualTo("tenant-a");
        assertThat(first.getEnvironment()).isEqualTo(Environment.SANDBOX);
        assertThat(first.getSource().getOriginalMessageId()).isEqualTo("MSG-ORM-0001");
        assertThat(events.get(1).key()).isEqualTo("tenant-a|PON-1001");
        assertThat(first.getEventId()).isNotEqualTo(second.getEventId());
    }

    @Test
    void whatIngressAcknowledgesTheNormalizerReadsWhateverTheLineEndingsAndMsh2() throws Exception {
        String crlf = sample("orm-o01-v23.hl7").replace("\r", "\r\n");
        String lf = sample("orm-o01-v23.hl7").replace("\r", "\n");
        String v27 = sample("orm-o01-v23.hl7").replace("MSH|^~\\&|", "MSH|^~\\&#|");
        for (String message : List.of(crlf, lf, v27)) {
            assertThat(normalizer.normalize(raw(message))).extracting(CanonicalEvent::topic)
                    .containsExactly(Topics.CANONICAL_PATIENTS, Topics.CANONICAL_ORDERS, Topics.CANONICAL_ORDERS);
        }
        // Ingress answers these AR (the same Er7 reading); the normalizer names MSH-2 the same way.
        assertThatThrownBy(() -> normalizer.normalize(raw(sample("orm-o01-v23.hl7").replace("MSH|^~\\&|", "MSH|^~|"))))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageStartingWith("HL7 v2 parse failed: MSH-2 (encoding characters) must be four distinct");
    }

    @Test
    void theSameRawMessageAlwaysYieldsTheSameEventIds() throws Exception {
        var raw = raw(sample("orm-o01-v23.hl7"));
        assertThat(normalizer.normalize(raw).get(1).value().get(0))
                .isEqualTo(normalizer.normalize(raw).get(1).value().get(0));
    }

    @Test
    void oruBecomesAResultLinkedToItsOrder() throws Exception {
        List<CanonicalEvent> events = normalizer.normalize(raw(sample("oru-r01.hl7")));

        assertThat(events).singleElement().extracting(CanonicalEvent::topic).isEqualTo(Topics.CANONICAL_RESULTS);
        var result = (LabResultEvent) events.get(0).value();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.FINAL);
        assertThat(result.getPlacerOrderNumber().getValue()).isEqualTo("PON-1001");
        assertThat(result.getFillerOrderNumber().getValue()).isEqualTo("FON-9001");
        var observation = result.getObservations().get(0);
        assertThat(observation.getValue()).isEqualTo(new Quantity(182.0, "mg/dL", "http://unitsofmeasure.org"));
        assertThat(observation.getReferenceRange().getLow()).isEqualTo(70.0);
        assertThat(observation.getReferenceRange().getHigh()).isEqualTo(99.0);
        assertThat(observation.getInterpretation()).containsExactly(Interpretation.HIGH);
        assertThat(observation.getPerformer().getOrganizationName()).isEqualTo("LabOps Central Lab");
    }

    @Test
    void aTimingQuantityWithAStartTimeStillGivesItsPriority() throws Exception {
        String message = sample("orm-o01-v23.hl7").replace("|^^^^^S|", "|^^^20261120093000^^S|")
                .replace("|^^^^^R|", "|1^^^20261120093000^^A|");

        var orders = normalizer.normalize(raw(message)).stream().map(CanonicalEvent::value)
                .filter(LabOrderEvent.class::isInstance).map(LabOrderEvent.class::cast).toList();

        assertThat(orders).extracting(LabOrderEvent::getPriority)
                .containsExactly(labops.events.OrderPriority.ASAP, labops.events.OrderPriority.STAT);
    }

    @Test
    void anEncapsulatedReportBecomesAnAttachmentDecoded() throws Exception {
        byte[] pdf = "%PDF-1.7 a report".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String ed = "OBX|2|ED|11502-2^Laboratory report^LN||LIS^application^pdf^Base64^"
                + java.util.Base64.getEncoder().encodeToString(pdf) + "||||||F\r";
        String bad = "OBX|2|ED|11502-2^Laboratory report^LN||LIS^application^pdf^Base64^not*base64||||||F\r";

        var result = (LabResultEvent) normalizer.normalize(raw(sample("oru-r01.hl7").trim() + "\r" + ed)).get(0).value();

        var attachment = (labops.events.Attachment) result.getObservations().get(1).getValue();
        assertThat(attachment.getContentType()).isEqualTo("application/pdf");
        assertThat(attachment.getData()).isEqualTo(java.nio.ByteBuffer.wrap(pdf));
        assertThatThrownBy(() -> normalizer.normalize(raw(sample("oru-r01.hl7").trim() + "\r" + bad)))
                .hasMessageStartingWith("OBX-5.5 (encapsulated data) is not Base64 although OBX-5.4 says so");
    }

    @Test
    void criticalFlagsAreKept() throws Exception {
        var result = (LabResultEvent) normalizer.normalize(raw(sample("oru-r01.hl7").replace("|70-99|H|", "|70-99|HH|")))
                .get(0).value();
        assertThat(result.getObservations().get(0).getInterpretation()).containsExactly(Interpretation.CRITICAL_HIGH);
    }

    @Test
    void aMissingPatientIdentifierIsUnmappableAndTheReasonCarriesNoPatientData() throws IOException {
        String message = sample("orm-o01-v23.hl7").replace("MRN-100234^^^DEMO-HOSPITAL^MR", "");

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("PID-3")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TESTPATIENT", "19470312"));
    }

    @Test
    void anUnsupportedOrderControlIsUnmappable() throws IOException {
        String message = sample("orm-o01-v23.hl7").replaceFirst("ORC\\|NW\\|", "ORC|ZZ|");

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("ORC-1 order control ZZ is not supported (order group 1)");
    }

    @Test
    void aResultWithoutStatusIsUnmappable() throws IOException {
        String message = sample("oru-r01.hl7").replace("|20261125112900|||F", "|20261125112900|||");

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageContaining("OBR-25");
    }

    @Test
    void segmentsGroupInTheOrderTheyArriveTwoResultGroupsWithTheirNotesAndNoSpecimenObservations() throws Exception {
        String message = sample("oru-r01.hl7")
                + "\rNTE|1||About the glucose"
                + "\rSPM|1|SPM-1||SER^Serum^HL70487"
                + "\rOBX|1|ST|SPEC-COND^Specimen condition^L||Hemolyzed||||||F"
                + "\rORC|RE|PON-1002^DEMO-EHR|FON-9002^LABOPS-LAB"
                + "\rOBR|2|PON-1002^DEMO-EHR|FON-9002^LABOPS-LAB|2823-3^Potassium^LN|||||||||||||||||||||F"
                + "\rNTE|1||About the potassium"
                + "\rOBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.1|N|||F";

        List<CanonicalEvent> events = normalizer.normalize(raw(message));

        assertThat(events).hasSize(2);
        var glucose = (LabResultEvent) events.get(0).value();
        var potassium = (LabResultEvent) events.get(1).value();
        assertThat(glucose.getObservations()).singleElement()
                .satisfies(o -> assertThat(o.getNotes()).containsExactly("About the glucose"));
        assertThat(glucose.getNotes()).isEmpty();
        assertThat(potassium.getPlacerOrderNumber().getValue()).isEqualTo("PON-1002");
        assertThat(potassium.getNotes()).containsExactly("About the potassium");
        assertThat(potassium.getObservations()).singleElement()
                .satisfies(o -> assertThat(o.getValue()).isEqualTo(new Quantity(4.1, "mmol/L",
                        "http://unitsofmeasure.org")));
        assertThat(potassium.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("MRN-100234");
    }

    @Test
    void aSubcomponentReadsAsItsFirstPart() throws Exception {
        String message = sample("orm-o01-v23.hl7").replace("MRN-100234^^^DEMO-HOSPITAL^MR",
                "MRN-100234^^^DEMO-HOSPITAL&2.16.840.1.113883.19&ISO^MR");

        var patient = (PatientEvent) normalizer.normalize(raw(message)).get(0).value();

        assertThat(patient.getIdentifiers().get(0).getAssigningAuthority()).isEqualTo("DEMO-HOSPITAL");
        assertThat(patient.getIdentifiers().get(0).getType()).isEqualTo("MR");
    }

    @Test
    void priorResultsInAnOrderMessageAreRefusedNotGuessedAt() throws IOException {
        String message = sample("orm-o01-v23.hl7") + "\rPID|1||MRN-100234^^^DEMO-HOSPITAL^MR\rORC|RE|PON-0900^DEMO-EHR";

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("PID after an ORC (prior results) is not supported in an order message");
    }

    @Test
    void anOrderGroupWithoutObrIsUnmappableNamingTheGroup() throws IOException {
        String message = sample("orm-o01-v23.hl7").replaceFirst("\rOBR\\|2\\|[^\r]*", "");

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("OBR segment is missing (order group 2)");
    }

    @Test
    void segmentsAreReadInOrderPastBlankLinesIndentsAndEscapes() throws Exception {
        String message = sample("orm-o01-v23.hl7").replace("\rPID|", "\r\r  PID|")
                .replace("Fasting since midnight", "Fasting \\T\\ hydrated \\F\\ calm");

        List<CanonicalEvent> events = normalizer.normalize(raw(message));

        assertThat(((PatientEvent) events.get(0).value()).getIdentifiers().get(0).getValue()).isEqualTo("MRN-100234");
        var first = (LabOrderEvent) events.get(1).value();
        assertThat(first.getClinicalNotes()).containsExactly("Fasting & hydrated | calm");
        assertThat(((LabOrderEvent) events.get(2).value()).getPriority()).isEqualTo(OrderPriority.STAT);
    }

    @Test
    void aVersionHl7DoesNotDefineIsUnmappableNamingMsh12() throws IOException {
        String message = sample("orm-o01-v23.hl7").replace("|P|2.3", "|P|9.9");

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("MSH-12 version 9.9 is not an HL7 v2 version");
    }

    @Test
    void aMessageThatDoesNotOpenWithMshIsUnmappable() throws IOException {
        String message = sample("orm-o01-v23.hl7").substring(sample("orm-o01-v23.hl7").indexOf("PID|"));

        assertThatThrownBy(() -> normalizer.normalize(raw(message)))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("HL7 v2 parse failed: the message does not start with an MSH segment");
    }
}
