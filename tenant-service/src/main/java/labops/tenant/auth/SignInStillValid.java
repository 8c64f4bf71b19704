package labops.tenant.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import labops.tenant.user.UserRepository;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The issuer's own sign-in session ends once the person's access changed after they signed in (disabled, another
 * role): otherwise the console, sent back here for a new sign-in, would get a code at once for someone who may no
 * longer act. Runs on the authorization endpoints only, where a session stands for a person.
 */
class SignInStillValid extends OncePerRequestFilter {

    /** Session attribute: when the person signed in on the form. */
    static final String SIGNED_IN_AT = "labops.signedInAt";

    /** Notes the sign-in time, then goes where the person was going (the authorization request). */
    static AuthenticationSuccessHandler notingTheTime() {
        var delegate = new SavedRequestAwareAuthenticationSuccessHandler();
        return (request, response, authentication) -> {
            request.getSession().setAttribute(SIGNED_IN_AT, Instant.now());
            delegate.onAuthenticationSuccess(request, response, authentication);
        };
    }

    private final UserRepository users;

    SignInStillValid(UserRepository users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var session = request.getSession(false);
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (session != null && authentication instanceof UsernamePasswordAuthenticationToken person) {
            Object at = session.getAttribute(SIGNED_IN_AT);
            Instant signedIn = at instanceof Instant instant ? instant : Instant.ofEpochMilli(session.getCreationTime());
            boolean valid = users.find(person.getName())
                    .filter(u -> u.disabledAt() == null && !u.accessChangedAt().isAfter(signedIn)).isPresent();
            if (!valid) {
                session.invalidate();
                SecurityContextHolder.clearContext();
            }
        }
        chain.doFilter(request, response);
    }
}
