package labops.platform.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scopes an API endpoint accepts (any one of them). Checked with the path's {@code {tenantId}} and
 * {@code {environment}} before the request body is even read, so a caller without the right gets 403/404 and no
 * hint from validation. Every endpoint under {@code /api} must declare it; one that does not is refused.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresScope {

    String[] value();
}
