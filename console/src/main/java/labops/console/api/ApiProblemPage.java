package labops.console.api;

import jakarta.servlet.http.HttpServletResponse;
import labops.console.security.ConsoleUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** A page a service refused to fill (another tenant's, a missing right) says so, with the service's reason. */
@ControllerAdvice
class ApiProblemPage {

    @ExceptionHandler(ApiProblem.class)
    String refused(ApiProblem problem, @AuthenticationPrincipal OidcUser principal, Model model,
                   HttpServletResponse response) {
        response.setStatus(problem.status());
        model.addAttribute("user", principal == null ? null : ConsoleUser.of(principal));
        model.addAttribute("status", problem.status());
        model.addAttribute("detail", problem.getMessage());
        return "refused";
    }
}
