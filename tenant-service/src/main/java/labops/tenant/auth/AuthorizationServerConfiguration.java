package labops.tenant.auth;

import java.util.Map;
import labops.platform.security.Caller;
import labops.platform.security.LabOpsSecurityProperties;
import org.springdoc.core.utils.SpringDocUtils;
import labops.platform.security.TenantStatusValidator;
import labops.platform.tenant.TenantDirectory;
import labops.tenant.credential.CredentialRepository;
import labops.tenant.user.UserRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * tenant-service is the one token issuer (Spring Authorization Server): client_credentials for hospital API clients
 * and Lab Ops services, authorization code + PKCE for people signing in to the console, OIDC, a published JWKS.
 * Three filter chains: the protocol endpoints, the sign-in form, and (from platform) the JSON API as a resource server.
 */
@Configuration
class AuthorizationServerConfiguration {

    static {
        // Controllers take the caller from the token; it is not a request parameter of the API description.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    @Order(1)
    SecurityFilterChain protocolEndpoints(HttpSecurity http, UserRepository users, SignInThrottle throttle,
                                          AuthProperties properties) throws Exception {
        var throttled = throttled(throttle, properties);
        http.addFilterAfter(new SignInStillValid(users), SecurityContextHolderFilter.class);
        http.addFilterAfter(throttled, SecurityContextHolderFilter.class);
        http.oauth2AuthorizationServer(server -> {
                    http.securityMatcher(server.getEndpointsMatcher());
                    server.oidc(Customizer.withDefaults());
                    server.clientAuthentication(clients -> clients.errorResponseHandler(throttled.clientFailures()));
                })
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // A browser without a session is sent to the sign-in page.
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain signIn(HttpSecurity http, SignInThrottle throttle, AuthProperties properties) throws Exception {
        var throttled = throttled(throttle, properties);
        http.securityMatcher("/login", "/logout", "/assets/**")
                .addFilterAfter(throttled, SecurityContextHolderFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(form -> form.loginPage("/login")
                        .successHandler(throttled.formSuccess(SignInStillValid.notingTheTime()))
                        .failureHandler(throttled.formFailures()));
        return http.build();
    }

    /** Public keys hospitals fetch to check Lab Ops' client assertions: open by nature. */
    @Bean
    @Order(3)
    SecurityFilterChain publicKeys(HttpSecurity http) throws Exception {
        http.securityMatcher("/jwks/**").authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    /**
     * One per chain, never a bean: Boot would register a filter bean with the servlet container too, outside the
     * chains. The counts are {@link SignInThrottle}'s, shared.
     */
    private static ThrottledSignIn throttled(SignInThrottle throttle, AuthProperties properties) {
        var own = new java.util.HashSet<>(properties.serviceClients().keySet());
        own.add(properties.console().clientId());
        return new ThrottledSignIn(throttle, java.util.Set.copyOf(own));
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(LabOpsSecurityProperties security) {
        return AuthorizationServerSettings.builder().issuer(security.issuer()).build();
    }

    /** bcrypt for new hashes; {@code any-of} accepts any of a rotating credential's hashes. */
    @Bean
    PasswordEncoder passwordEncoder() {
        var bcrypt = new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder()));
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(),
                AnyOfPasswordEncoder.ID, new AnyOfPasswordEncoder(bcrypt)));
    }

    @Bean
    RegisteredClientRepository registeredClients(CredentialRepository credentials, AuthProperties properties,
                                                 PasswordEncoder passwordEncoder) {
        return new LabOpsClients(credentials, properties, passwordEncoder);
    }

    @Bean
    com.nimbusds.jose.jwk.source.JWKSource<com.nimbusds.jose.proc.SecurityContext> jwkSource(SigningKeys keys) {
        return keys.source();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> tokenContents(CredentialRepository credentials, UserRepository users,
                                                            SigningKeys keys) {
        return new TokenContents(credentials, users, keys);
    }

    /**
     * Authorization codes, console refresh tokens and consents are kept in PostgreSQL, so any instance serves any step
     * of a sign-in; client_credentials tokens are not kept at all (they are JWTs checked locally and never looked up
     * again), so token requests cannot grow the table.
     */
    @Bean
    OAuth2AuthorizationService authorizations(JdbcTemplate jdbc, RegisteredClientRepository clients) {
        var kept = new JdbcOAuth2AuthorizationService(jdbc, clients);
        return new OAuth2AuthorizationService() {
            @Override
            public void save(OAuth2Authorization authorization) {
                if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
                    kept.save(authorization);
                }
            }

            @Override
            public void remove(OAuth2Authorization authorization) {
                kept.remove(authorization);
            }

            @Override
            public OAuth2Authorization findById(String id) {
                return kept.findById(id);
            }

            @Override
            public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
                return kept.findByToken(token, tokenType);
            }
        };
    }

    @Bean
    OAuth2AuthorizationConsentService consents(JdbcTemplate jdbc, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
    }

    /** tenant-service checks its own tokens with its own key, and against the tenant directory like everyone. */
    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys, LabOpsSecurityProperties security, TenantDirectory directory) {
        var decoder = NimbusJwtDecoder.withJwkSource(keys.source()).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(security.issuer()), new TenantStatusValidator(directory)));
        return decoder;
    }
}
