package labops.tenant.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts {@link SignInThrottle} in front of the sign-in form and the token endpoint: a locked account or address is
 * answered at once (the form says to wait; the token endpoint answers 429 with Retry-After) without checking any
 * password, and each failure is counted. Lab Ops' own clients (the console, the services) have long random secrets
 * and every person's sign-in depends on the console's: their ids are never locked, only the address that fails.
 */
class ThrottledSignIn extends OncePerRequestFilter {

    static final String LOGIN = "/login";
    static final String TOKEN = "/oauth2/token";

    private final SignInThrottle throttle;
    private final Set<String> ownClients;

    ThrottledSignIn(SignInThrottle throttle, Set<String> ownClients) {
        this.throttle = throttle;
        this.ownClients = ownClients;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !(request.getServletPath().equals(LOGIN) || request.getServletPath().equals(TOKEN));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean form = request.getServletPath().equals(LOGIN);
        String account = form ? request.getParameter("username") : clientId(request);
        var locked = throttle.lockedFor(lockable(account), request.getRemoteAddr());
        if (locked.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, locked.get().toSeconds() + 1);
        if (form) {
            response.sendRedirect(request.getContextPath() + LOGIN + "?throttled");
            return;
        }
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(seconds));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"error\":\"invalid_client\",\"error_description\":\"too many failed attempts "
                + "for this client or from this address; retry after " + seconds + " seconds\"}");
    }

    /** The form's failures: counted, then the usual "wrong user name or password". */
    AuthenticationFailureHandler formFailures() {
        var delegate = new SimpleUrlAuthenticationFailureHandler(LOGIN + "?error");
        return (request, response, exception) -> {
            throttle.failed(lockable(request.getParameter("username")), request.getRemoteAddr());
            delegate.onAuthenticationFailure(request, response, exception);
        };
    }

    /** A right password clears the account's count, then the sign-in goes on as {@code next} says. */
    AuthenticationSuccessHandler formSuccess(AuthenticationSuccessHandler next) {
        return (request, response, authentication) -> {
            throttle.succeeded(authentication.getName());
            next.onAuthenticationSuccess(request, response, authentication);
        };
    }

    /**
     * The token endpoint's client authentication failures: counted, then answered as Spring Authorization Server's
     * own handler does (401 for invalid_client, else 400; the error code only, no description).
     */
    AuthenticationFailureHandler clientFailures() {
        var errors = new OAuth2ErrorHttpMessageConverter();
        return (request, response, exception) -> {
            throttle.failed(lockable(clientId(request)), request.getRemoteAddr());
            SecurityContextHolder.clearContext();
            String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
                    : OAuth2ErrorCodes.INVALID_CLIENT;
            var answer = new ServletServerHttpResponse(response);
            answer.setStatusCode(OAuth2ErrorCodes.INVALID_CLIENT.equals(code) ? HttpStatus.UNAUTHORIZED
                    : HttpStatus.BAD_REQUEST);
            errors.write(new OAuth2Error(code), null, answer);
        };
    }

    private String lockable(String account) {
        return account == null || ownClients.contains(account) ? "" : account;
    }

    /** The client id of client_secret_basic or client_secret_post; null when the request names none. */
    static String clientId(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return URLDecoder.decode(colon < 0 ? pair : pair.substring(0, colon), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException unreadable) {
                return null;
            }
        }
        return request.getParameter("client_id");
    }
}
