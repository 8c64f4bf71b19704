package labops.tenant.auth;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import labops.platform.audit.AuditDecision;
import labops.platform.audit.AuditPublisher;
import labops.platform.security.Caller;
import labops.platform.security.RequiresScope;
import labops.schemas.auth.Scopes;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lab Ops admins rotate the key every token is signed with; the previous one stays published for the overlap. */
@RestController
@RequestMapping("/api/signing-keys")
@RequiresScope(Scopes.TENANTS_MANAGE)
@Tag(name = "Signing keys", description = "The token-signing key and its rotation")
class SigningKeyController {

    /**
     * @param signing   the key id new tokens are signed with
     * @param published every key id in the JWKS now (the signing one first, then replaced ones still in overlap)
     * @param overlap   how long a replaced key stays published
     */
    record SigningKeysView(String signing, List<String> published, Duration overlap) {
    }

    private final SigningKeys keys;
    private final AuditPublisher audit;
    private final AuthProperties properties;

    SigningKeyController(SigningKeys keys, AuditPublisher audit, AuthProperties properties) {
        this.keys = keys;
        this.audit = audit;
        this.properties = properties;
    }

    @GetMapping
    @Operation(summary = "The signing key and the keys still published")
    SigningKeysView view() {
        return new SigningKeysView(keys.signingKid(), keys.publishedKids(), properties.signingKeyOverlap());
    }

    @PostMapping("/rotate")
    @Operation(summary = "Sign with a new key from now; the previous stays in the JWKS until its tokens expired")
    SigningKeysView rotate(Caller caller) throws Exception {
        String previous = keys.signingKid();
        String kid = keys.rotate();
        audit.publish(AuditDecision.change("signing-key.rotated", AuditDecision.LAB_OPS, null, caller.subject(),
                "token-signing key " + kid + " signs from now; " + previous + " stays published for "
                        + properties.signingKeyOverlap())).get(10, TimeUnit.SECONDS);
        return view();
    }
}
