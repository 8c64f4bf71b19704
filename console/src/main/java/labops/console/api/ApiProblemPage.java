package labops.console.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import labops.console.security.ConsoleUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * A page a service refused to fill (another tenant's, a missing right) says so, with the service's reason. A service
 * that no longer takes the person's token at all (401: disabled, another role, tenant gone), or an issuer that
 * refuses to refresh it, ends the console session there and then: the person must sign in again, and a disabled one
 * cannot.
 */
@ControllerAdvice
class ApiProblemPage {

    static final String ACCESS_ENDED = "Your access changed since you signed in (your account was disabled or given "
            + "another role), so you have been signed out. Sign in again to continue.";

    @ExceptionHandler(ApiProblem.class)
    String refused(ApiProblem problem, @AuthenticationPrincipal OidcUser principal, Model model,
                   HttpServletRequest request, HttpServletResponse response) {
        if (problem.status() == HttpServletResponse.SC_UNAUTHORIZED) {
            return signedOut(model, request, response);
        }
        response.setStatus(problem.status());
        model.addAttribute("user", principal == null ? null : ConsoleUser.of(principal));
        model.addAttribute("status", problem.status());
        model.addAttribute("detail", problem.getMessage());
        return "refused";
    }

    @ExceptionHandler(OAuth2AuthorizationException.class)
    String refreshRefused(Model model, HttpServletRequest request, HttpServletResponse response) {
        return signedOut(model, request, response);
    }

    private static String signedOut(Model model, HttpServletRequest request, HttpServletResponse response) {
        var session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        model.addAttribute("user", null);
        model.addAttribute("status", HttpServletResponse.SC_UNAUTHORIZED);
        model.addAttribute("detail", ACCESS_ENDED);
        return "refused";
    }
}
