package labops.ingress.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import tools.jackson.databind.json.JsonMapper;

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

    private static final JsonMapper JSON = JsonMapper.builder().build();
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

    /**
     * The rows with every reason the services give added: an order the profile cannot map, an order number that is
     * an order already. Rows without an order are left as they are.
     */
    List<Imports.Row> check(String authorization, String tenantId, String environment, List<Imports.Row> rows) {
        var valid = new LinkedHashMap<Integer, RestOrders.Order>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).order() != null) {
                valid.put(i, JSON.readValue(rows.get(i).order(), RestOrders.Order.class));
            }
        }
        if (valid.isEmpty()) {
            return rows;
        }
        var reasons = new LinkedHashMap<Integer, List<String>>();
        var indexes = List.copyOf(valid.keySet());
        if (normalizer != null) {
            var previews = preview(authorization, tenantId, environment, List.copyOf(valid.values()), false);
            for (var preview : previews) {
                if (preview.unmappable() != null) {
                    reasons.computeIfAbsent(indexes.get(preview.index()), i -> new ArrayList<>())
                            .add("column 'tests': " + preview.unmappable().replaceFirst("^/tests/\\d+ ", ""));
                }
            }
        }
        if (workflow != null) {
            var known = known(authorization, tenantId, environment,
                    valid.values().stream().map(RestOrders.Order::orderNumber).distinct().toList());
            valid.forEach((i, order) -> {
                Instant received = known.get(order.orderNumber());
                if (received != null) {
                    reasons.computeIfAbsent(i, x -> new ArrayList<>()).add("order number " + order.orderNumber()
                            + " is an order already (received " + received + ")");
                }
            });
        }
        if (reasons.isEmpty()) {
            return rows;
        }
        var checked = new ArrayList<>(rows);
        reasons.forEach((i, why) -> {
            var row = rows.get(i);
            checked.set(i, new Imports.Row(row.number(), row.values(), null, why, null, null, null));
        });
        return checked;
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
