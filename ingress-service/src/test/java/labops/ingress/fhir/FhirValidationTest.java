package labops.ingress.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/** The shared validators: reused for hundreds of resources, each resource still judged on its own. */
class FhirValidationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void aReusedValidatorJudgesEachResourceOnItsOwn() {
        var validation = new FhirValidation(FHIR, 1, Duration.ofSeconds(5));
        // More than one validator's lifetime, valid and invalid Bundles interleaved.
        for (int i = 0; i < 600; i++) {
            boolean invalid = i % 7 == 3;
            List<SingleValidationMessage> problems = validation.problems(bundle(i, invalid), null);
            if (invalid) {
                assertThat(problems).as("Bundle %d lacks ServiceRequest.intent", i)
                        .anySatisfy(p -> assertThat(p.getMessage() + p.getLocationString()).contains("intent"));
            } else {
                assertThat(problems).as("Bundle %d", i).isEmpty();
            }
        }
    }

    @Test
    void theJsonAsSentIsWhatIsJudgedNotWhatHapiKeptOfIt() {
        var validation = new FhirValidation(FHIR, 1, Duration.ofSeconds(5));
        String sent = """
                {"resourceType": "Patient", "colour": "blue",
                 "identifier": [{"system": "https://ehr.example/mrn", "value": "MRN-1"}]}""";
        // HAPI's lenient parser drops the element no Patient has; the bytes stored still hold it.
        var parsed = FHIR.newJsonParser().parseResource(Patient.class, sent);

        assertThat(validation.problems(parsed, null)).isEmpty();
        assertThat(validation.problems(parsed, sent.getBytes(StandardCharsets.UTF_8)))
                .singleElement().satisfies(p -> assertThat(p.getMessage()).contains("colour"));
    }

    private static Bundle bundle(int i, boolean withoutIntent) {
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        var patient = new Patient();
        patient.addIdentifier().setSystem("https://ehr.example/mrn").setValue("MRN-" + i);
        var order = new ServiceRequest().setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        if (!withoutIntent) {
            order.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        }
        order.addIdentifier().setSystem("https://ehr.example/orders").setValue("PON-" + i);
        order.getCode().addCoding().setSystem("http://loinc.org").setCode("2345-7");
        order.getSubject().setReference(patientUrl);
        var bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl(patientUrl).setResource(patient).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(order).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("ServiceRequest");
        return bundle;
    }
}
