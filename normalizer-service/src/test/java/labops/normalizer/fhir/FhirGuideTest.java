package labops.normalizer.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import labops.events.CollectionType;
import labops.events.Environment;
import labops.events.LabOrderEvent;
import labops.events.OrderPriority;
import labops.events.PatientEvent;
import labops.normalizer.profile.MappingProfile;
import labops.normalizer.profile.MappingRules;
import labops.normalizer.raw.CanonicalEvent;
import labops.normalizer.raw.RawRecord;
import org.junit.jupiter.api.Test;

/**
 * The FHIR examples on a tenant's integration page are built from its mapping profile, and each becomes the canonical
 * events the page shows: read back here field by field.
 */
class FhirGuideTest {

    private static final MappingProfile PROFILE = new MappingProfile(4, Instant.now(), "admin", new MappingRules(
            List.of(new MappingRules.TestCode("GLU-F", "1558-6", "Fasting glucose")), MappingRules.UnknownTestCodes.DEAD_LETTER,
            List.of(), new MappingRules.Mrn("MR", "https://ehr.st-mary.example/mrn"), null, null));

    private final FhirNormalizer normalizer = new FhirNormalizer();
    private final FhirGuide guide = new FhirGuide(normalizer, null);

    @Test
    void eachExampleUsesTheTenantsCodesAndBecomesTheEventsShown() throws Exception {
        var examples = guide.examples("st-mary", Environment.SANDBOX, PROFILE);

        assertThat(examples).extracting(FhirGuide.Example::path).containsExactly("/ServiceRequest", "/Patient", "");
        assertThat(examples.get(0).body()).contains("\"code\": \"GLU-F\"", "https://ehr.st-mary.example/mrn");
        for (var example : examples) {
            assertThat(example.events()).as(example.title()).isNotEmpty();
        }

        var alone = (LabOrderEvent) events(examples.get(0), PROFILE).get(0).value();
        assertThat(alone.getPlacerOrderNumber().getValue()).isEqualTo("PON-EXAMPLE-1");
        assertThat(alone.getPlacerOrderNumber().getAssigningAuthority()).isEqualTo(FhirGuide.ORDERS);
        assertThat(alone.getTests().get(0).getCode()).as("the local code, mapped to LOINC").isEqualTo("1558-6");
        assertThat(alone.getPriority()).isEqualTo(OrderPriority.STAT);
        assertThat(alone.getPatient().getIdentifiers().get(0).getValue()).isEqualTo("MRN-12345");
        assertThat(alone.getPatient().getIdentifiers().get(0).getAssigningAuthority())
                .isEqualTo("https://ehr.st-mary.example/mrn");
        assertThat(alone.getSource().getMappingProfileVersion()).isEqualTo(4);

        var patient = (PatientEvent) events(examples.get(1), PROFILE).get(0).value();
        assertThat(patient.getIdentifiers().get(0).getType()).isEqualTo("MR");
        assertThat(patient.getNames().get(0).getFamily()).isEqualTo("Example");

        List<CanonicalEvent> bundle = events(examples.get(2), PROFILE);
        assertThat(bundle).extracting(e -> e.value().getClass().getSimpleName())
                .containsExactly("PatientEvent", "LabOrderEvent");
        var home = (LabOrderEvent) bundle.get(1).value();
        assertThat(home.getPlacerOrderNumber().getValue()).isEqualTo("PON-EXAMPLE-2");
        assertThat(home.getSpecimen().getType().getCode()).isEqualTo("SER");
        assertThat(home.getSpecimen().getCollectedAt()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(home.getCollection().getMode()).isEqualTo(CollectionType.HOME_COLLECTION);
        assertThat(home.getCollection().getAddress().getCity()).isEqualTo("Springfield");
        assertThat(home.getCollection().getWindowStart()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    }

    @Test
    void withoutAProfileTheExamplesUseLoinc() throws Exception {
        var examples = guide.examples("t", Environment.SANDBOX, MappingProfile.BUILT_IN);

        var order = (LabOrderEvent) events(examples.get(0), MappingProfile.BUILT_IN).get(0).value();
        assertThat(order.getTests().get(0).getCode()).isEqualTo("2345-7");
        assertThat(order.getPatient().getIdentifiers().get(0).getAssigningAuthority())
                .isEqualTo(FhirGuide.DEFAULT_MRN_SYSTEM);
    }

    /** The example sent as a hospital would, through the normalizer, independently of the events the guide shows. */
    private List<CanonicalEvent> events(FhirGuide.Example example, MappingProfile profile) throws Exception {
        return normalizer.normalize(new RawRecord("m-1", "st-mary", Environment.SANDBOX, "fhir-rest", "10.0.0.1",
                Instant.now(), example.body().getBytes(StandardCharsets.UTF_8), "st-mary|k"), profile);
    }
}
