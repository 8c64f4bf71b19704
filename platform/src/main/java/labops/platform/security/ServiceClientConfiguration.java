package labops.platform.security;

import labops.platform.tenant.SigningSecretVault;
import labops.schemas.auth.Scopes;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.client.RestClient;

/**
 * A service that needs secret values (ingress verifies what hospitals sign, delivery signs what it sends) calls
 * tenant-service with a client_credentials token of its own, from {@code labops.security.client-id/-secret}.
 */
@AutoConfiguration(after = LabOpsSecurityConfiguration.class)
@ConditionalOnProperty(prefix = "labops.security", name = {"client-id", "client-secret"})
public class ServiceClientConfiguration {

    private static final String REGISTRATION = "tenant-service";

    @Bean
    SigningSecretVault signingSecretVault(LabOpsSecurityProperties properties, RestClient.Builder http) {
        var registration = ClientRegistration.withRegistrationId(REGISTRATION)
                .clientId(properties.clientId())
                .clientSecret(properties.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(Scopes.SECRETS_READ)
                .tokenUri(properties.tokenUri())
                .build();
        var registrations = new InMemoryClientRegistrationRepository(registration);
        var manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations,
                new InMemoryOAuth2AuthorizedClientService(registrations));
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
        var interceptor = new OAuth2ClientHttpRequestInterceptor(manager);
        interceptor.setClientRegistrationIdResolver(request -> REGISTRATION);
        return new SigningSecretVault(http.clone().baseUrl(properties.issuer()).requestInterceptor(interceptor).build());
    }
}
