package labops.ingress.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import labops.ingress.IngressProperties;
import labops.platform.web.Problems;
import labops.schemas.rest.RestOrders;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * What a row is checked against beyond its own values, asked of the services that know, with the uploader's own
 * token (each enforces tenant and scope itself): the normalizer maps the row's order through the tenant's mapping
 * profile as it will after approval, so an unknown local test code is named at upload; workflow says whether its
 * order number is an order already. A page of rows is one call to each.
 */
@Component
class ImportChecks {

    /** One order's canonical order event as the normalizer renders it, or why it cannot be mapped. */
    record Preview(int index, String order, String unmappable) {
    }

    private static final ParameterizedTypeReference<List<Preview>> PREVIEWS = new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<Map<String, Instant>> KNOWN = new ParameterizedTypeReference<>() { };

    private final RestClient normalizer;
    private final RestClient workflow;

    ImportChecks(IngressProperties properties, RestClient.Builder http) {
        this.normalizer = client(http, properties.normalizerUrl());
        this.workflow = client(http, properties.workflowUrl());
    }

    private static RestClient client(RestClient.Builder http, String url) {
        return url == null || url.isBlank() ? null : http.clone().baseUrl(url).build();
    }

    /** A row checked on its own values, and the order it makes when it is valid (null when not). */
    record Checked(Imports.Row row, RestOrders.Order order) {
    }

    /**
     * The rows with every reason the services give added: an order the profile cannot map, an order number that is
     * an order already. Rows without an order are left as they are.
     */
    List<Imports.Row> check(String authorization, String tenantId, String environment, List<Checked> rows) {
        var valid = rows.stream().filter(row -> row.order() != null).toList();
        var reasons = new IdentityHashMap<Checked, List<String>>();
        if (normalizer != null && !valid.isEmpty()) {
            var previews = preview(authorization, tenantId, environment,
                    valid.stream().map(Checked::order).toList(), false);
            for (var preview : previews) {
                if (preview.unmappable() != null) {
                    reasons.computeIfAbsent(valid.get(preview.index()), row -> new ArrayList<>())
                            .add("column 'tests': " + preview.unmappable().replaceFirst("^/tests/\\d+ ", ""));
                }
            }
        }
        if (workflow != null && !valid.isEmpty()) {
            var known = known(authorization, tenantId, environment,
                    valid.stream().map(row -> row.order().orderNumber()).distinct().toList());
            for (var row : valid) {
                Instant received = known.get(row.order().orderNumber());
                if (received != null) {
                    reasons.computeIfAbsent(row, x -> new ArrayList<>()).add("order number "
                            + row.order().orderNumber() + " is an order already (received " + received + ")");
                }
            }
        }
        return rows.stream().map(row -> {
            var why = reasons.get(row);
            return why == null ? row.row() : Imports.Row.refused(row.row().number(), row.row().values(), why);
        }).toList();
    }

    /** The canonical orders the rows' orders become (or why not), in order; empty when no normalizer is set. */
    List<Preview> preview(String authorization, String tenantId, String environment, List<RestOrders.Order> orders,
                          boolean withOrders) {
        if (normalizer == null || orders.isEmpty()) {
            return List.of();
        }
        return call("the tenant's mapping profile", () -> normalizer.post()
                .uri("/api/tenants/{t}/environments/{e}/orders/preview?source=csv&orders={o}", tenantId, environment,
                        withOrders)
                .header(HttpHeaders.AUTHORIZATION, authorization).contentType(MediaType.APPLICATION_JSON)
                .body(new RestOrders(orders)).retrieve().body(PREVIEWS));
    }

    private Map<String, Instant> known(String authorization, String tenantId, String environment,
                                       List<String> numbers) {
        return call("existing orders", () -> workflow.post()
                .uri("/api/tenants/{t}/environments/{e}/orders/known", tenantId, environment)
                .header(HttpHeaders.AUTHORIZATION, authorization).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("orderNumbers", numbers)).retrieve().body(KNOWN));
    }

    private static <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RestClientException e) {
            throw Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "the rows cannot be checked against " + what
                    + " right now; upload the file again in a minute");
        }
    }
}
