package labops.ingress.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.tenant.ITenantIdentificationStrategy;
import ca.uhn.fhir.util.UrlPathTokenizer;

/**
 * Each tenant environment has its own FHIR base, {@code /fhir/{tenant}/{environment}}: the first two path segments
 * name it, and every URL the server writes back (Location, fullUrl) carries both.
 */
final class TenantAndEnvironment implements ITenantIdentificationStrategy {

    /** The request's tenant and environment, as HAPI keeps them in its one tenant id. */
    record Base(String tenantId, String environment) {

        static Base of(RequestDetails request) {
            String[] parts = request.getTenantId().split("/", 2);
            return new Base(parts[0], parts[1]);
        }
    }

    @Override
    public void extractTenant(UrlPathTokenizer path, RequestDetails request) {
        String tenant = path.hasMoreTokens() ? path.nextTokenUnescapedAndSanitized() : null;
        String environment = path.hasMoreTokens() ? path.nextTokenUnescapedAndSanitized() : null;
        if (tenant == null || environment == null
                || !(environment.equals("sandbox") || environment.equals("production"))) {
            throw new ResourceNotFoundException("a Lab Ops FHIR base is /fhir/{tenant}/{sandbox|production}");
        }
        request.setTenantId(tenant + "/" + environment);
    }

    @Override
    public String massageServerBaseUrl(String base, RequestDetails request) {
        return request.getTenantId() == null ? base : base + "/" + request.getTenantId();
    }

    /** A relative URL the server writes (a Location) within this base. */
    @Override
    public String resolveRelativeUrl(String relativeUrl, RequestDetails request) {
        String base = request.getTenantId();
        return base == null || relativeUrl.startsWith(base + "/") ? relativeUrl : base + "/" + relativeUrl;
    }
}
