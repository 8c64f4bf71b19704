package labops.ingress.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.SingleValidationMessage;
import org.junit.jupiter.api.Test;

/** An OperationOutcome's {@code expression} is the failing element's FHIRPath, as HAPI's validator locates it. */
class FhirExpressionTest {

    @Test
    void aMissingElementIsNamedBelowItsParentAndBundleEntriesAreFhirPath() {
        assertThat(FhirIntake.expression(problem("ServiceRequest",
                "ServiceRequest.subject: minimum required = 1, but only found 0"))).isEqualTo("ServiceRequest.subject");
        assertThat(FhirIntake.expression(problem("Bundle.entry[1].resource/*ServiceRequest/null*/",
                "ServiceRequest.subject: minimum required = 1, but only found 0")))
                .isEqualTo("Bundle.entry[1].resource.subject");
        assertThat(FhirIntake.expression(problem("ServiceRequest.code", "a lab order names its test")))
                .isEqualTo("ServiceRequest.code");
    }

    private static SingleValidationMessage problem(String location, String message) {
        var problem = new SingleValidationMessage();
        problem.setLocationString(location);
        problem.setMessage(message);
        return problem;
    }
}
