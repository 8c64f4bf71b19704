package labops.ingress.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import labops.ingress.intake.RawIntake;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * HAPI FHIR's plain server at {@code /fhir/{tenant}/{environment}}: the order providers, the access check, JSON by
 * default (XML when asked), and a CapabilityStatement that names Lab Ops' token endpoint.
 */
final class FhirEndpoint extends RestfulServer {

    private final transient FhirIntake intake;
    private final transient RawIntake refusals;
    private final String tokenEndpoint;
    private final int maxBytes;

    FhirEndpoint(FhirContext fhir, FhirIntake intake, RawIntake refusals, String tokenEndpoint, int maxBytes) {
        super(fhir);
        this.intake = intake;
        this.refusals = refusals;
        this.tokenEndpoint = tokenEndpoint;
        this.maxBytes = maxBytes;
    }

    @Override
    protected void initialize() {
        setTenantIdentificationStrategy(new TenantAndEnvironment());
        setDefaultResponseEncoding(EncodingEnum.JSON);
        // Lab Ops keeps no resource to represent: a create answers with what it did and where to read its fate.
        setDefaultPreferReturn(PreferReturnEnum.OPERATION_OUTCOME);
        setResourceProviders(List.of(new OrderProviders.ServiceRequests(intake), new OrderProviders.Patients(intake),
                new OrderProviders.Specimens(intake)));
        registerProvider(new OrderProviders.Transactions(intake));
        registerInterceptor(new FhirAccess(maxBytes));
        registerInterceptor(new FhirRefusals(refusals));
        registerInterceptor(new Security(tokenEndpoint));
    }

    /** The SMART/OAuth security extension: where a client gets the bearer token every interaction needs. */
    @Interceptor
    static final class Security {

        private final String tokenEndpoint;

        Security(String tokenEndpoint) {
            this.tokenEndpoint = tokenEndpoint;
        }

        @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
        public void describe(IBaseConformance statement) {
            var capabilities = (CapabilityStatement) statement;
            capabilities.getSoftware().setName("Lab Ops FHIR intake");
            // One @Transaction method takes both kinds of Bundle; HAPI lists only "transaction" for it.
            var rest = capabilities.getRestFirstRep();
            if (rest.getInteraction().stream().noneMatch(i -> i.getCode()
                    == CapabilityStatement.SystemRestfulInteraction.BATCH)) {
                rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
            }
            var security = capabilities.getRestFirstRep().getSecurity();
            security.addService(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR")));
            security.setDescription("OAuth2 client credentials from Lab Ops (scope orders.write), sent as a bearer "
                    + "token; the token's tenant and environment must match this base.");
            var uris = new Extension("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
            uris.addExtension("token", new UriType(tokenEndpoint));
            security.addExtension(uris);
        }
    }
}
