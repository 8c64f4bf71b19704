package labops.console.security;

import java.util.HashSet;
import java.util.List;
import labops.console.ConsoleProperties;
import labops.schemas.auth.TokenClaims;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;

/**
 * People sign in through the issuer with the authorization code flow and PKCE; the console keeps their tokens in the
 * session and calls the services with the access token (refreshed as it expires). Signing out ends the issuer's
 * session too, so the next person at the same browser signs in as themselves.
 */
@Configuration
class ConsoleSecurityConfiguration {

    static final String REGISTRATION = "labops";

    @Bean
    SecurityFilterChain console(HttpSecurity http, ClientRegistrationRepository registrations) throws Exception {
        var resolver = new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
        resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        var logout = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        logout.setPostLogoutRedirectUri("{baseUrl}/");
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus",
                                "/webjars/**", "/assets/**", "/error", SignedOutPage.PATH).permitAll()
                        .anyRequest().authenticated())
                .oauth2Login(login -> login
                        .loginPage("/oauth2/authorization/" + REGISTRATION)
                        // Not back to the login page, which would start the same refused sign-in again.
                        .failureUrl(SignedOutPage.PATH)
                        .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(resolver)))
                .logout(out -> out.logoutSuccessHandler(logout));
        return http.build();
    }

    /** The issuer is discovered on first sign-in, so the console starts whether or not the issuer is up yet. */
    @Bean
    ClientRegistrationRepository registrations(ConsoleProperties properties) {
        return new ClientRegistrationRepository() {
            private volatile ClientRegistration registration;

            @Override
            public ClientRegistration findByRegistrationId(String id) {
                if (!REGISTRATION.equals(id)) {
                    return null;
                }
                if (registration == null) {
                    registration = ClientRegistrations.fromIssuerLocation(properties.issuer())
                            .registrationId(REGISTRATION)
                            .clientId(properties.clientId())
                            .clientSecret(properties.clientSecret())
                            .scope("openid", "profile")
                            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                            .userNameAttributeName("sub")
                            .build();
                }
                return registration;
            }
        };
    }

    /** Roles from the ID token become authorities ({@code ROLE_labops-admin}...), for pages that need them. */
    @Bean
    OAuth2UserService<OidcUserRequest, OidcUser> users() {
        var delegate = new OidcUserService();
        return request -> {
            OidcUser user = delegate.loadUser(request);
            var authorities = new HashSet<GrantedAuthority>(user.getAuthorities());
            List<String> roles = user.getClaimAsStringList(TokenClaims.ROLES);
            if (roles != null) {
                roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
            }
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), "sub");
        };
    }

    /** The person's tokens live in their session, which lives in PostgreSQL: any console instance can use them. */
    @Bean
    OAuth2AuthorizedClientRepository authorizedClientRepository() {
        return new HttpSessionOAuth2AuthorizedClientRepository();
    }

    @Bean
    OAuth2AuthorizedClientManager authorizedClients(ClientRegistrationRepository registrations,
                                                    OAuth2AuthorizedClientRepository clients) {
        var manager = new DefaultOAuth2AuthorizedClientManager(registrations, clients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .authorizationCode().refreshToken().build());
        return manager;
    }
}
