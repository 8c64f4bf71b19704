package labops.ingress.rest;

import java.util.List;
import java.util.function.Function;

/**
 * One REST JSON format (orders, results) as {@link RestSubmissions} takes it.
 *
 * @param noun              one item in words: "order"
 * @param plural            the body's array of items, and the answer's: "orders"
 * @param contentType       the raw message's content type, which tells the normalizer the format
 * @param items             the body's items, each stored as its own raw message
 * @param number            an item's order number, as the hospital names the order
 * @param patient           the patient an item is about ({@code system|mrn}), hashed into the partition key
 * @param idempotencyPrefix keeps one format's Idempotency-Keys apart from another's
 * @param <T>               the request body
 * @param <I>               one item of it
 */
record RestFormat<T, I>(String noun, String plural, String contentType, Class<T> type, Function<T, List<I>> items,
                        Function<I, String> number, Function<I, String> patient, String idempotencyPrefix) {
}
