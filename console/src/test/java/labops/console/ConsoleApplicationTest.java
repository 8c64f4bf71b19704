package labops.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import labops.testsupport.LabOpsInfrastructure;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console starts without its issuer being up (it is discovered at first sign-in), reports health, and sends
 * anyone without a session to sign in. The pages themselves are tested in a browser by system-tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "labops.console.issuer=http://127.0.0.1:9")
class ConsoleApplicationTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        LabOpsInfrastructure.registerDatabase(registry);
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void startsHealthyAndSendsPeopleWithoutASessionToSignIn() throws Exception {
        assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"");
        var page = get("/tenants/some-tenant");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/oauth2/authorization/labops"));
        assertThat(get("/webjars/htmx.org/dist/htmx.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void sessionsAreKeptInPostgreSqlForEveryInstanceToRead() throws Exception {
        var redirected = get("/tenants/another-tenant");
        String cookie = redirected.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("LABOPS_CONSOLE_SESSION=");
        assertThat(jdbc.sql("select count(*) from spring_session").query(Integer.class).single()).isPositive();
    }

    @Autowired
    JdbcClient jdbc;

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
