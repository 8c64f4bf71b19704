package labops.ingress.fhir;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import labops.ingress.intake.RawIntake;
import labops.platform.kafka.LabOpsKafkaProperties;
import labops.platform.security.LabOpsSecurityProperties;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The FHIR intake: one FhirContext (expensive to build), the shared validation against base R4, the plain server under
 * {@code /fhir/*}, and a security chain that reads bearer tokens but leaves the answer to a missing one to the server,
 * so every refusal is an OperationOutcome.
 */
@Configuration
class FhirConfiguration {

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4();
    }

    @Bean
    FhirValidation fhirValidation(FhirContext fhir, FhirProperties properties) {
        return new FhirValidation(fhir, properties.validatorCount(), properties.validationWait());
    }

    @Bean
    ServletRegistrationBean<FhirEndpoint> fhirServlet(FhirContext fhir, FhirIntake intake, RawIntake refusals,
                                                      LabOpsSecurityProperties security, LabOpsKafkaProperties kafka) {
        var servlet = new ServletRegistrationBean<>(new FhirEndpoint(fhir, intake, refusals, security.tokenUri(),
                kafka.maxMessageBytes()),
                "/fhir/*");
        servlet.setLoadOnStartup(1);
        return servlet;
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    SecurityFilterChain fhirSecurity(HttpSecurity http, FhirContext fhir, RawIntake refusals) throws Exception {
        AuthenticationEntryPoint badToken = (request, response, failure) -> {
            FhirRefusals.badToken(refusals, request, "the bearer token is not valid");
            var outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.LOGIN)
                    .setDiagnostics("the bearer token is not valid: expired, revoked or not issued by Lab Ops");
            response.setStatus(401);
            response.setContentType("application/fhir+json");
            response.getOutputStream().write(fhir.newJsonParser().encodeResourceToString(outcome)
                    .getBytes(StandardCharsets.UTF_8));
        };
        http.securityMatcher("/fhir/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .oauth2ResourceServer(server -> server.jwt(jwt -> { }).authenticationEntryPoint(badToken))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
