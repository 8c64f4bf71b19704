package labops.normalizer.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import labops.events.CodedConcept;
import labops.events.CollectionType;
import labops.events.Environment;
import labops.events.LabOrderEvent;
import labops.events.OrderAction;
import labops.events.OrderNumber;
import labops.events.OrderPriority;
import labops.events.PatientEvent;
import labops.events.SourceFormat;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.schemas.topic.Topics;
import org.junit.jupiter.api.Test;

/** FHIR R4 as hospitals send it, to canonical events with every field the schema has. */
class FhirNormalizerTest {

    private final FhirNormalizer normalizer = new FhirNormalizer();

    @Test
    void aTransactionBundleBecomesItsPatientAndOrderWithEveryField() throws Exception {
        var profile = new MappingProfile(3, Instant.now(), "tester", new MappingRules(
                List.of(new MappingRules.TestCode("GLU", "1558-6", "Fasting glucose")), null, List.of(),
                new MappingRules.Mrn("MR", null), null, null));

        List<CanonicalEvent> events = normalizer.normalize(raw(resource("transaction-order.json")), profile);

        assertThat(events).extracting(CanonicalEvent::topic)
                .containsExactly(Topics.CANONICAL_PATIENTS, Topics.CANONICAL_ORDERS);
        var patient = (PatientEvent) events.get(0).value();
        assertThat(patient.getIdentifiers()).extracting(i -> i.getValue()).containsExactly("MRN-9", "4711");
        assertThat(patient.getIdentifiers().get(0).getAssigningAuthority()).isEqualTo("https://ehr.hospital.example/mrn");
        assertThat(patient.getNames().get(0).getFamily()).isEqualTo("Doe");
        assertThat(patient.getNames().get(0).getGiven()).containsExactly("Jane", "Q");
        assertThat(patient.getBirthDate()).isEqualTo(LocalDate.of(1970, 1, 1));
        assertThat(patient.getTelecom().get(0).getValue()).isEqualTo("555-0100");
        assertThat(events.get(0).key()).as("keyed like the raw message").isEqualTo("tenant-a|patient-hash");

        var order = (LabOrderEvent) events.get(1).value();
        assertThat(order.getSource().getFormat()).isEqualTo(SourceFormat.FHIR);
        assertThat(order.getSource().getOriginalMessageId()).isEqualTo("bundle-7");
        assertThat(order.getSource().getMappingProfileVersion()).isEqualTo(3);
        assertThat(order.getAction()).isEqualTo(OrderAction.NEW);
        assertThat(order.getPlacerOrderNumber()).isEqualTo(new OrderNumber("PON-F-1",
                "https://ehr.hospital.example/orders"));
        assertThat(order.getPriority()).isEqualTo(OrderPriority.STAT);
        assertThat(order.getTests()).containsExactly(new CodedConcept("1558-6", "http://loinc.org", "Fasting glucose"));
        assertThat(order.getOrderedAt()).isEqualTo(Instant.parse("2026-11-25T08:25:00Z"));
        assertThat(order.getOrderingProvider().getIdentifier().getValue()).isEqualTo("1234567893");
        assertThat(order.getSpecimen().getType()).isEqualTo(new CodedConcept("SER",
                "http://terminology.hl7.org/CodeSystem/v2-0487", "Serum"));
        assertThat(order.getSpecimen().getCollectedAt()).isEqualTo(Instant.parse("2026-11-25T08:15:00Z"));
        assertThat(order.getCollection().getMode()).isEqualTo(CollectionType.HOME_COLLECTION);
        assertThat(order.getCollection().getAddress().getCity()).isEqualTo("Springfield");
        assertThat(order.getCollection().getWindowStart()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(order.getCollection().getWindowEnd()).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
        assertThat(order.getClinicalNotes()).containsExactly("Fasting since midnight");
        assertThat(order.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("MRN-9");
        assertThat(events.get(1).key()).isEqualTo("tenant-a|PON-F-1");
    }

    @Test
    void aServiceRequestAloneNamesItsPatientByIdentifierAndXmlReadsTheSame() throws Exception {
        String json = """
                {"resourceType": "ServiceRequest", "status": "revoked", "intent": "order",
                 "identifier": [{"system": "https://ehr.hospital.example/orders", "value": "PON-F-2"}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": "Glucose"}]},
                 "subject": {"identifier": {"system": "https://ehr.hospital.example/mrn", "value": "MRN-9"}}}""";
        String xml = """
                <ServiceRequest xmlns="http://hl7.org/fhir">
                  <identifier><system value="https://ehr.hospital.example/orders"/><value value="PON-F-2"/></identifier>
                  <status value="revoked"/><intent value="order"/>
                  <code><coding><system value="http://loinc.org"/><code value="2345-7"/><display value="Glucose"/></coding></code>
                  <subject><identifier><system value="https://ehr.hospital.example/mrn"/><value value="MRN-9"/></identifier></subject>
                </ServiceRequest>""";

        List<CanonicalEvent> fromJson = normalizer.normalize(raw(json));
        List<CanonicalEvent> fromXml = normalizer.normalize(raw(xml));

        assertThat(fromJson).hasSize(1);
        var order = (LabOrderEvent) fromJson.get(0).value();
        assertThat(order.getAction()).isEqualTo(OrderAction.CANCEL);
        assertThat(order.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("MRN-9");
        assertThat(order.getTests().get(0).getCode()).isEqualTo("2345-7");
        assertThat(order.getCollection().getMode()).isEqualTo(CollectionType.IN_LAB);
        assertThat(fromXml.get(0).value()).isEqualTo(order);
    }

    @Test
    void aConditionalPatientReferenceFindsThePatientInTheBundleOrNamesItsIdentifier() throws Exception {
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"resource": {"resourceType": "Patient", "name": [{"family": "Roe"}],
                    "identifier": [{"system": "https://ehr.hospital.example/mrn", "value": "MRN-3"},
                                   {"system": "https://ehr.hospital.example/visit", "value": "V-3"}]},
                   "request": {"method": "POST", "url": "Patient"}},
                  {"resource": {"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                    "identifier": [{"system": "https://ehr.hospital.example/orders", "value": "PON-F-3"}],
                    "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
                    "subject": {"reference": "Patient?identifier=https://ehr.hospital.example/mrn|MRN-3"}},
                   "request": {"method": "POST", "url": "ServiceRequest"}}]}""";
        String alone = """
                {"resourceType": "ServiceRequest", "status": "on-hold", "intent": "order",
                 "identifier": [{"system": "https://ehr.hospital.example/orders", "value": "PON-F-4"}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
                 "subject": {"reference": "Patient?identifier=https%3A%2F%2Fehr.hospital.example%2Fmrn%7CMRN-4"}}""";

        var inBundle = (LabOrderEvent) normalizer.normalize(raw(bundle)).get(1).value();
        var elsewhere = (LabOrderEvent) normalizer.normalize(raw(alone)).get(0).value();

        assertThat(inBundle.getPatient().getIdentifiers()).as("resolved to the Bundle's Patient, all its identifiers")
                .extracting(i -> i.getValue()).containsExactly("MRN-3", "V-3");
        assertThat(elsewhere.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("MRN-4");
        assertThat(elsewhere.getPatient().getIdentifiers().get(0).getAssigningAuthority())
                .isEqualTo("https://ehr.hospital.example/mrn");
        assertThat(elsewhere.getAction()).isEqualTo(OrderAction.HOLD);
    }

    @Test
    void aLocationTheTenantsProfileNamesAsHomeMeansHomeCollection() throws Exception {
        var profile = new MappingProfile(2, Instant.now(), "tester", new MappingRules(List.of(), null, List.of(), null,
                null, new MappingRules.HomeCollection(null, null, List.of("HV"), null, null)));
        String order = """
                {"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                 "identifier": [{"system": "https://ehr.hospital.example/orders", "value": "PON-F-5"}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
                 "locationCode": [{"coding": [{"system": "https://ehr.hospital.example/locations", "code": "%s"}]}],
                 "subject": {"identifier": {"system": "https://ehr.hospital.example/mrn", "value": "MRN-5"}}}""";

        var home = (LabOrderEvent) normalizer.normalize(raw(order.formatted("HV")), profile).get(0).value();
        var ward = (LabOrderEvent) normalizer.normalize(raw(order.formatted("WARD-3")), profile).get(0).value();

        assertThat(home.getCollection().getMode()).isEqualTo(CollectionType.HOME_COLLECTION);
        assertThat(ward.getCollection().getMode()).isEqualTo(CollectionType.IN_LAB);
    }

    @Test
    void whatCannotBeMappedNamesTheElement() {
        assertThatThrownBy(() -> normalizer.normalize(raw("{\"resourceType\": \"ServiceRequest\", \"sta")))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("FHIR resource cannot be parsed as R4 JSON");
        assertThatThrownBy(() -> normalizer.normalize(raw("""
                {"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                 "code": {"coding": [{"code": "GLU"}]}, "subject": {"reference": "Patient/123"}}""")))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("ServiceRequest.identifier (placer order number) is missing (ServiceRequest 1)");
        assertThatThrownBy(() -> normalizer.normalize(raw("""
                {"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                 "identifier": [{"value": "PON-F-3"}], "code": {"coding": [{"code": "GLU"}]},
                 "subject": {"reference": "Patient/123"}}""")))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessage("ServiceRequest.subject resolves to no Patient in the message and carries no identifier");
        assertThatThrownBy(() -> normalizer.normalize(raw("""
                {"resourceType": "ServiceRequest", "status": "completed", "intent": "order",
                 "identifier": [{"value": "PON-F-4"}], "code": {"coding": [{"code": "GLU"}]},
                 "subject": {"identifier": {"value": "MRN-9"}}}""")))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageStartingWith("ServiceRequest.status completed is not an order change Lab Ops takes");
        assertThatThrownBy(() -> normalizer.normalize(raw("{\"resourceType\": \"Specimen\"}")))
                .isInstanceOf(UnmappableMessageException.class)
                .hasMessageStartingWith("Specimen on its own makes no order or patient");
    }

    private static RawRecord raw(String payload) {
        return new RawRecord("raw-f1", "tenant-a", Environment.SANDBOX, "fhir-rest", "127.0.0.1",
                Instant.parse("2026-11-25T08:30:00Z"), payload.getBytes(StandardCharsets.UTF_8), "tenant-a|patient-hash");
    }

    private static String resource(String name) {
        try (InputStream in = FhirNormalizerTest.class.getResourceAsStream("/fhir/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
