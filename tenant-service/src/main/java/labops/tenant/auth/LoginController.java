package labops.tenant.auth;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page of the token issuer: the one page tenant-service serves, since it holds the passwords. */
@Controller
class LoginController {

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
