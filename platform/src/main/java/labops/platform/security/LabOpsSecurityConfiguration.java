package labops.platform.security;

import java.util.List;
import labops.platform.tenant.TenantDirectory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import labops.platform.web.ProblemHandler;

/**
 * Every service's HTTP API is an OAuth2 resource server of tenant-service's JWTs, validated here against the
 * published JWKS, the issuer, expiry and the tenant directory (revoked credentials, suspended tenants). Health,
 * metrics and the OpenAPI description stay open; everything else needs a token, and controllers check tenant,
 * environment and scope through {@link Caller}. A service may add chains of its own with a higher precedence.
 */
@AutoConfiguration
@EnableWebSecurity
@EnableConfigurationProperties(LabOpsSecurityProperties.class)
public class LabOpsSecurityConfiguration {

    /** Paths open without a token: probes and metrics for the platform, the API description for integrators. */
    public static final List<String> OPEN_PATHS = List.of("/actuator/health/**", "/actuator/health",
            "/actuator/prometheus", "/actuator/info", "/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**",
            "/swagger-ui.html", "/error");

    @Bean
    TenantDirectory tenantDirectory(KafkaProperties kafka, LabOpsSecurityProperties properties) {
        return new TenantDirectory(kafka, properties.directoryPoll());
    }

    /** A service is not ready to decide anything about tenants before it has read their configuration. */
    @Bean
    HealthIndicator tenantDirectoryHealthIndicator(TenantDirectory directory) {
        return () -> directory.isLoaded()
                ? Health.up().withDetail("tenants", directory.all().size()).build()
                : Health.outOfService().withDetail("reason", "tenant configuration not read yet").build();
    }

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(LabOpsSecurityProperties properties, TenantDirectory directory) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuer()), new TenantStatusValidator(directory)));
        return decoder;
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE - 100)
    SecurityFilterChain labOpsApiSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(OPEN_PATHS.toArray(String[]::new)).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> { }))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // Bearer tokens, no cookies: nothing for a cross-site request to ride on.
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Errors as problem+json naming failing fields (instead of Boot's {@code spring.mvc.problemdetails}). */
    @Bean
    ProblemHandler problemHandler() {
        return new ProblemHandler();
    }

    /** Tenant, environment and scope checks before every API handler; controllers may take a {@link Caller}. */
    @Bean
    WebMvcConfigurer callerArgument() {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new TenantAccessInterceptor());
            }

            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new HandlerMethodArgumentResolver() {
                    @Override
                    public boolean supportsParameter(MethodParameter parameter) {
                        return parameter.getParameterType() == Caller.class;
                    }

                    @Override
                    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
                                                  NativeWebRequest request, WebDataBinderFactory binders) {
                        return Caller.of(SecurityContextHolder.getContext().getAuthentication());
                    }
                });
            }
        };
    }
}
