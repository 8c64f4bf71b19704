package labops.normalizer.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import labops.events.Environment;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.normalizer.profile.ProfileStore;
import labops.normalizer.raw.RawRecord;
import labops.normalizer.raw.UnmappableMessageException;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * FHIR payload guidance for one tenant environment: example resources and a transaction Bundle built from the
 * tenant's mapping profile in force (its MRN identifier, its first local test code), each run through this
 * normalizer so the canonical events shown are exactly the ones Lab Ops makes of it.
 */
@RestController
class FhirGuide {

    /** One example: where to send it, what to send, and the canonical events it becomes. */
    record Example(String title, String path, String body, List<Map<String, Object>> events) {
    }

    static final String ORDERS = "https://ehr.your-hospital.example/orders";
    static final String DEFAULT_MRN_SYSTEM = "https://ehr.your-hospital.example/mrn";
    static final String LOCAL_TESTS = "https://ehr.your-hospital.example/tests";
    private static final String IDENTIFIER_TYPES = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private final FhirNormalizer normalizer;
    private final ProfileStore profiles;
    private final FhirContext fhir = FhirContext.forR4Cached();

    FhirGuide(FhirNormalizer normalizer, ProfileStore profiles) {
        this.normalizer = normalizer;
        this.profiles = profiles;
    }

    @GetMapping("/api/tenants/{tenantId}/environments/{environment}/guide/fhir")
    @RequiresScope({Scopes.TENANT_ADMIN, Scopes.TASKS_READ, Scopes.DEAD_LETTERS})
    Map<String, Object> guide(@PathVariable String tenantId, @PathVariable String environment)
            throws UnmappableMessageException {
        Environment env = ProfileStore.environment(environment);
        MappingProfile profile = profiles.inForce(tenantId, env);
        return Map.of("profileVersion", profile.version(), "examples", examples(tenantId, env, profile));
    }

    List<Example> examples(String tenantId, Environment environment, MappingProfile profile)
            throws UnmappableMessageException {
        var resources = new Examples(profile.rules());
        var examples = new ArrayList<Example>();
        examples.add(example(tenantId, environment, profile, "A ServiceRequest naming its patient by identifier",
                "/ServiceRequest", resources.order("PON-EXAMPLE-1", new Reference().setIdentifier(resources.mrn()))));
        examples.add(example(tenantId, environment, profile, "A Patient (an upsert of the patient's details)",
                "/Patient", resources.patient()));
        examples.add(example(tenantId, environment, profile,
                "A transaction Bundle: Patient, Specimen and a home-collection ServiceRequest, linked by urn:uuid", "",
                resources.transaction()));
        return examples;
    }

    private Example example(String tenantId, Environment environment, MappingProfile profile, String title,
                            String path, Resource resource) throws UnmappableMessageException {
        String body = fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(resource);
        var record = new RawRecord("guide-example" + path, tenantId, environment, "fhir-rest", "guide-example",
                Instant.parse("2026-01-01T00:00:00Z"), body.getBytes(StandardCharsets.UTF_8), tenantId + "|patient-hash");
        var events = normalizer.normalize(record, profile).stream()
                .map(e -> Map.<String, Object>of("topic", e.topic(), "event", e.value().toString())).toList();
        return new Example(title, path, body, events);
    }

    /** The example resources, in the tenant's own terms where its profile has them. */
    static final class Examples {

        private final MappingRules rules;

        Examples(MappingRules rules) {
            this.rules = rules;
        }

        /** The MRN as the profile expects it: its identifier type and assigning authority (as the system). */
        Identifier mrn() {
            var rule = rules.mrn();
            String system = rule != null && rule.assigningAuthority() != null ? rule.assigningAuthority()
                    : DEFAULT_MRN_SYSTEM;
            String type = rule != null ? rule.identifierType() : "MR";
            var identifier = new Identifier().setSystem(system).setValue("MRN-12345");
            identifier.getType().addCoding(new Coding(IDENTIFIER_TYPES, type, null));
            return identifier;
        }

        /** The tenant's first mapped local test code (Lab Ops turns it into LOINC), else a LOINC code. */
        CodeableConcept test() {
            return rules.testCodes().isEmpty() ? new CodeableConcept(new Coding("http://loinc.org", "2345-7",
                    "Glucose [Mass/volume] in Serum or Plasma"))
                    : new CodeableConcept(new Coding(LOCAL_TESTS, rules.testCodes().get(0).local(),
                            rules.testCodes().get(0).display()));
        }

        ServiceRequest order(String placer, Reference subject) {
            var order = new ServiceRequest();
            order.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
            order.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
            order.setPriority(ServiceRequest.ServiceRequestPriority.STAT);
            var identifier = order.addIdentifier().setSystem(ORDERS).setValue(placer);
            identifier.getType().addCoding(new Coding(IDENTIFIER_TYPES, "PLAC", "Placer Identifier"));
            order.setCode(test());
            order.setSubject(subject);
            order.setAuthoredOnElement(new DateTimeType("2026-11-25T08:25:00Z"));
            order.setRequester(new Reference().setIdentifier(new Identifier()
                    .setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1234567893")));
            order.addNote(new Annotation().setText("Fasting since midnight"));
            return order;
        }

        Patient patient() {
            var patient = new Patient();
            patient.addIdentifier(mrn());
            patient.addName(new HumanName().setFamily("Example").addGiven("Pat"));
            patient.setGender(Enumerations.AdministrativeGender.FEMALE);
            patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1970-01-01"));
            patient.addAddress(new Address().addLine("1 Main St").setCity("Springfield").setPostalCode("12345"));
            return patient;
        }

        Bundle transaction() {
            var bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            String patientUrl = "urn:uuid:" + UUID.nameUUIDFromBytes("patient".getBytes(StandardCharsets.UTF_8));
            String specimenUrl = "urn:uuid:" + UUID.nameUUIDFromBytes("specimen".getBytes(StandardCharsets.UTF_8));
            bundle.addEntry().setFullUrl(patientUrl).setResource(patient()).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
            var specimen = new Specimen();
            specimen.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0487", "SER",
                    "Serum")));
            specimen.getCollection().setCollected(new DateTimeType("2026-11-26T09:00:00Z"));
            bundle.addEntry().setFullUrl(specimenUrl).setResource(specimen).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Specimen");
            var order = order("PON-EXAMPLE-2", new Reference(patientUrl));
            order.addSpecimen(new Reference(specimenUrl));
            order.addLocationCode(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                    "PTRES", "Patient's Residence")));
            order.setOccurrence(new Period().setStartElement(new DateTimeType("2026-11-26T08:00:00Z"))
                    .setEndElement(new DateTimeType("2026-11-26T12:00:00Z")));
            bundle.addEntry().setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes("order".getBytes(StandardCharsets.UTF_8)))
                    .setResource(order).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");
            return bundle;
        }
    }
}
