package labops.console.security;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Where a sign-in the issuer refused ends (a person disabled meanwhile, say), instead of a redirect loop. */
@Controller
class SignedOutPage {

    static final String PATH = "/signed-out";

    @GetMapping(PATH)
    String signedOut(Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        model.addAttribute("user", null);
        model.addAttribute("status", HttpServletResponse.SC_UNAUTHORIZED);
        model.addAttribute("detail", "Signing in did not complete: the sign-in service refused it. If your account "
                + "was disabled, ask your administrator.");
        return "refused";
    }
}
