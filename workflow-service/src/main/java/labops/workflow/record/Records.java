package labops.workflow.record;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import labops.events.Attachment;
import labops.events.CodedConcept;
import labops.events.CollectionType;
import labops.events.Identifier;
import labops.events.Interpretation;
import labops.events.LabOrderEvent;
import labops.events.LabResultEvent;
import labops.events.Observation;
import labops.events.OrderAction;
import labops.events.OrderChangeCause;
import labops.events.OrderStatus;
import labops.events.PatientReference;
import labops.events.Quantity;
import labops.events.ReferenceRange;
import labops.platform.kafka.OrderKeys;
import labops.platform.tenant.EnvironmentNames;
import labops.workflow.lifecycle.Lifecycle;
import labops.workflow.lifecycle.StatusChange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

/** Orders as they stand and result observations, per tenant environment; read back in pages of rows for exports. */
@Repository
public class Records {

    /** An order as exported: its status is the latest result's when it has one and is not cancelled or on hold. */
    record OrderRow(String orderNumber, String status, String priority, String tests, String patientId,
                    Instant orderedAt, Instant receivedAt, Instant updatedAt, String source, String rawMessageId) {
    }

    /** One observation of a result, as exported. */
    record ResultRow(String orderNumber, String resultStatus, Instant issuedAt, String testCode, String testSystem,
                     String testName, String value, String unit, String referenceRange, String flags,
                     String observationStatus, Instant observedAt, Instant receivedAt, String rawMessageId) {
    }

    /** Rows one at a time; an export writes each as it comes. */
    interface Each<T> {
        void accept(T row) throws java.io.IOException;
    }

    private static final int FETCH = 500;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;

    Records(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        // PostgreSQL streams a result set only with a fetch size inside a transaction; exports run in one.
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH);
    }

    /** What a poll's events say of one order's fields, folded in the order they came. */
    private record Folded(String tenantId, String environment, String number, String priority, String tests,
                          String patientId, Timestamp orderedAt, Timestamp receivedAt, Timestamp updatedAt,
                          String source, String rawMessageId, String collection, String collectionAddress,
                          Timestamp windowStart, Timestamp windowEnd) {

        /** {@code next} applied after this: its fields, the earliest receipt. */
        Folded then(Folded next) {
            return new Folded(tenantId, environment, number, next.priority, next.tests,
                    next.patientId != null ? next.patientId : patientId,
                    next.orderedAt != null ? next.orderedAt : orderedAt,
                    receivedAt.before(next.receivedAt) ? receivedAt : next.receivedAt,
                    updatedAt.after(next.updatedAt) ? updatedAt : next.updatedAt, next.source, next.rawMessageId,
                    next.collection, next.collectionAddress, next.windowStart, next.windowEnd);
        }
    }

    /** How an order's specimen is collected, as the staff who schedule a home visit see it. */
    public record Collection(boolean home, String address, Instant windowStart, Instant windowEnd) {
    }

    /** An order's status as stored, and where a hold found it. */
    private record State(OrderStatus status, OrderStatus heldFrom) {
    }

    /**
     * Applies a poll's order events: each sets the order's fields and moves its status by the lifecycle's rules
     * ({@link Lifecycle#onOrder}), in the order they came. Holds, releases and cancels read (and lock) the orders they
     * concern; new orders and updates need no read, the upsert says which were new. At most one select and two
     * multi-row upserts whatever the poll's size; replaying a suffix of the events, as a redelivery does, ends in the
     * same rows. Returns each change of status.
     */
    public List<StatusChange> applyOrders(List<LabOrderEvent> orders) {
        var folded = new java.util.LinkedHashMap<List<String>, Folded>();
        var events = new ArrayList<java.util.Map.Entry<List<String>, LabOrderEvent>>();
        for (LabOrderEvent order : orders) {
            String number = OrderKeys.orderNumber(order.getPlacerOrderNumber(), order.getFillerOrderNumber());
            if (number == null) {
                number = "labops:" + order.getEventId();
            }
            Timestamp received = Timestamp.from(order.getSource().getReceivedAt());
            var event = new Folded(order.getTenantId(), EnvironmentNames.of(order.getEnvironment()), number,
                    order.getPriority().name(),
                    order.getTests().stream().map(Records::concept).collect(Collectors.joining("; ")),
                    patientId(order.getPatient()), timestamp(order.getOrderedAt()), received, received,
                    source(order.getSource()), order.getSource().getRawMessageId(),
                    order.getCollection().getMode() == CollectionType.HOME_COLLECTION ? "home" : "in-lab",
                    address(order.getCollection().getAddress()), timestamp(order.getCollection().getWindowStart()),
                    timestamp(order.getCollection().getWindowEnd()));
            var key = List.of(event.tenantId(), event.environment(), number);
            folded.merge(key, event, Folded::then);
            events.add(java.util.Map.entry(key, order));
        }
        if (folded.isEmpty()) {
            return List.of();
        }
        // Only a hold, a release from hold or a cancel needs the order's stored status (read and locked): a new order
        // or an update is received if Lab Ops did not have it and keeps its status if it did, which the upsert says.
        var stateful = new java.util.HashSet<List<String>>();
        var firstOf = new java.util.HashMap<List<String>, LabOrderEvent>();
        for (var entry : events) {
            firstOf.putIfAbsent(entry.getKey(), entry.getValue());
            if (entry.getValue().getAction() != OrderAction.NEW && entry.getValue().getAction() != OrderAction.UPDATE) {
                stateful.add(entry.getKey());
            }
        }
        var states = stateful.isEmpty() ? new java.util.HashMap<List<String>, State>() : lock(stateful);
        var changes = new ArrayList<StatusChange>();
        for (var entry : events) {
            if (!stateful.contains(entry.getKey())) {
                continue;
            }
            State state = states.get(entry.getKey());
            LabOrderEvent order = entry.getValue();
            OrderStatus from = state == null ? null : state.status();
            OrderStatus to = Lifecycle.onOrder(order.getAction(), from, state == null ? null : state.heldFrom());
            if (to != from) {
                OrderStatus heldFrom = to == OrderStatus.ON_HOLD ? from : null;
                states.put(entry.getKey(), new State(to, heldFrom));
                changes.add(new StatusChange(entry.getKey().get(0), entry.getKey().get(1), entry.getKey().get(2), from,
                        to, order.getSource().getReceivedAt(), OrderChangeCause.CANONICAL_EVENT,
                        order.getEventId().toString(), order.getSource().getRawMessageId(), null, null));
            }
        }
        upsert(folded.values().stream().filter(f -> stateful.contains(key(f))).toList(), states, true);
        for (var key : upsert(folded.values().stream().filter(f -> !stateful.contains(key(f))).toList(), states, false)) {
            LabOrderEvent order = firstOf.get(key);
            changes.add(new StatusChange(key.get(0), key.get(1), key.get(2), null, OrderStatus.RECEIVED,
                    order.getSource().getReceivedAt(), OrderChangeCause.CANONICAL_EVENT, order.getEventId().toString(),
                    order.getSource().getRawMessageId(), null, null));
        }
        return changes;
    }

    private static List<String> key(Folded folded) {
        return List.of(folded.tenantId(), folded.environment(), folded.number());
    }

    /**
     * The stored state of each order named, its row locked until the caller's transaction ends. One primary-key probe
     * per order, in the keys' sorted order (so two transactions lock shared rows in the same order): an ORDER BY here
     * made PostgreSQL walk the whole primary-key index in order and hash-join the keys, a cost growing with the table.
     */
    private java.util.Map<List<String>, State> lock(java.util.Collection<List<String>> keys) {
        var states = new java.util.HashMap<List<String>, State>();
        var sorted = keys.stream().sorted(java.util.Comparator.comparing((List<String> k) -> k.get(0))
                .thenComparing(k -> k.get(1)).thenComparing(k -> k.get(2))).toList();
        jdbc.query("""
                        select o.tenant_id, o.environment, o.order_number, o.status, o.held_from
                        from unnest(?::text[], ?::text[], ?::text[]) with ordinality
                             as k(tenant_id, environment, order_number, n)
                        cross join lateral (
                            select * from order_record r
                            where r.tenant_id = k.tenant_id and r.environment = k.environment
                              and r.order_number = k.order_number
                            for update) o""",
                (RowCallbackHandler) rs -> states.put(List.of(rs.getString(1), rs.getString(2), rs.getString(3)),
                        new State(Lifecycle.of(rs.getString(4)), Lifecycle.of(rs.getString(5)))),
                sorted.stream().map(k -> k.get(0)).toArray(String[]::new),
                sorted.stream().map(k -> k.get(1)).toArray(String[]::new),
                sorted.stream().map(k -> k.get(2)).toArray(String[]::new));
        return states;
    }

    /**
     * Inserts or updates the orders' rows; {@code setStatus}: to the status in {@code states}, else a new row is
     * received and an existing one keeps its status. Returns the orders that were new.
     */
    private List<List<String>> upsert(List<Folded> rows, java.util.Map<List<String>, State> states, boolean setStatus) {
        if (rows.isEmpty()) {
            return List.of();
        }
        java.util.function.Function<Folded, State> state = f -> setStatus ? states.get(key(f))
                : new State(OrderStatus.RECEIVED, null);
        return jdbc.query("""
                insert into order_record as o (tenant_id, environment, order_number, status, held_from, priority, tests,
                                               patient_id, ordered_at, received_at, updated_at, source, raw_message_id,
                                               collection, collection_address, window_start, window_end)
                select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                     ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::text[],
                                     ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
                on conflict (tenant_id, environment, order_number) do update set
                    status = %s, held_from = %s,
                    priority = excluded.priority, tests = excluded.tests,
                    patient_id = coalesce(excluded.patient_id, o.patient_id),
                    ordered_at = coalesce(excluded.ordered_at, o.ordered_at),
                    received_at = least(o.received_at, excluded.received_at),
                    updated_at = greatest(o.updated_at, excluded.updated_at),
                    source = excluded.source, raw_message_id = excluded.raw_message_id,
                    collection = excluded.collection, collection_address = excluded.collection_address,
                    window_start = excluded.window_start, window_end = excluded.window_end
                returning tenant_id, environment, order_number, xmax = 0 as inserted""".formatted(
                        setStatus ? "excluded.status" : "o.status", setStatus ? "excluded.held_from" : "o.held_from"),
                (rs, row) -> rs.getBoolean("inserted")
                        ? List.of(rs.getString(1), rs.getString(2), rs.getString(3)) : null,
                texts(rows, Folded::tenantId), texts(rows, Folded::environment), texts(rows, Folded::number),
                texts(rows, f -> Lifecycle.stored(state.apply(f).status())),
                texts(rows, f -> Lifecycle.stored(state.apply(f).heldFrom())), texts(rows, Folded::priority),
                texts(rows, Folded::tests), texts(rows, Folded::patientId),
                rows.stream().map(Folded::orderedAt).toArray(Timestamp[]::new),
                rows.stream().map(Folded::receivedAt).toArray(Timestamp[]::new),
                rows.stream().map(Folded::updatedAt).toArray(Timestamp[]::new), texts(rows, Folded::source),
                texts(rows, Folded::rawMessageId), texts(rows, Folded::collection),
                texts(rows, Folded::collectionAddress), rows.stream().map(Folded::windowStart).toArray(Timestamp[]::new),
                rows.stream().map(Folded::windowEnd).toArray(Timestamp[]::new))
                .stream().filter(java.util.Objects::nonNull).toList();
    }

    /** How an order's specimen is collected; empty when Lab Ops does not know the order. */
    public java.util.Optional<Collection> collection(String tenantId, String environment, String orderNumber) {
        return jdbc.query("""
                        select collection, collection_address, window_start, window_end from order_record
                        where tenant_id = ? and environment = ? and order_number = ?""",
                (rs, row) -> new Collection("home".equals(rs.getString(1)), rs.getString(2), instant(rs, "window_start"),
                        instant(rs, "window_end")), tenantId, environment, orderNumber).stream().findFirst();
    }

    /**
     * Moves the orders a poll's results answer forward ({@link Lifecycle#onResult}): one select, one update. A result
     * for an order Lab Ops never received changes nothing here. Returns each change of status.
     */
    public List<StatusChange> applyResultsToOrders(List<LabResultEvent> results) {
        var answered = new java.util.LinkedHashMap<List<String>, LabResultEvent>();
        var keys = new java.util.LinkedHashSet<List<String>>();
        for (LabResultEvent result : results) {
            String number = OrderKeys.orderNumber(result);
            if (number != null) {
                keys.add(List.of(result.getTenantId(), EnvironmentNames.of(result.getEnvironment()), number));
            }
        }
        if (keys.isEmpty()) {
            return List.of();
        }
        var states = lock(keys);
        var changes = new ArrayList<StatusChange>();
        for (LabResultEvent result : results) {
            String number = OrderKeys.orderNumber(result);
            var key = number == null ? null : List.of(result.getTenantId(), EnvironmentNames.of(result.getEnvironment()), number);
            State state = key == null ? null : states.get(key);
            if (state == null) {
                continue;
            }
            OrderStatus to = Lifecycle.onResult(result.getStatus(), state.status());
            if (to != state.status()) {
                states.put(key, new State(to, state.heldFrom()));
                answered.put(key, result);
                changes.add(new StatusChange(key.get(0), key.get(1), key.get(2), state.status(), to,
                        result.getSource().getReceivedAt(), OrderChangeCause.CANONICAL_EVENT, result.getEventId().toString(),
                        result.getSource().getRawMessageId(), null, null));
            }
        }
        var at = new java.util.HashMap<List<String>, Instant>();
        answered.forEach((key, result) -> at.put(key, result.getSource().getReceivedAt()));
        setStatuses(answered.keySet(), states, at);
        return changes;
    }

    /**
     * An order to move by {@code rule} (given its status, the status it goes to, if any), for a cause, at a time.
     *
     * @param orderNumber null for a result without an order: nothing to move
     */
    public record Move(String tenantId, String environment, String orderNumber,
                       java.util.function.Function<OrderStatus, java.util.Optional<OrderStatus>> rule,
                       OrderChangeCause cause, String causeId, String rawMessageId, String actor, String reasonCode,
                       Instant at) {

        List<String> key() {
            return List.of(tenantId, environment, orderNumber);
        }
    }

    /**
     * Moves one order, its row locked until the caller commits. Empty when the order is unknown or the rule does not
     * move it.
     */
    public java.util.Optional<StatusChange> move(String tenantId, String environment, String orderNumber,
                                                 java.util.function.Function<OrderStatus, java.util.Optional<OrderStatus>> rule,
                                                 OrderChangeCause cause, String causeId, String actor,
                                                 String reasonCode) {
        return moveAll(List.of(new Move(tenantId, environment, orderNumber, rule, cause, causeId, null, actor,
                reasonCode, Instant.now()))).stream().findFirst();
    }

    /**
     * Moves the orders, in the order given, with one read (their rows locked until the caller commits) and one update
     * whatever their number: a poll's released results or delivery outcomes. Returns each change of status.
     */
    public List<StatusChange> moveAll(List<Move> moves) {
        var keys = moves.stream().filter(m -> m.orderNumber() != null).map(Move::key)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        if (keys.isEmpty()) {
            return List.of();
        }
        var states = lock(keys);
        var changes = new ArrayList<StatusChange>();
        var at = new java.util.LinkedHashMap<List<String>, Instant>();
        for (Move move : moves) {
            State state = move.orderNumber() == null ? null : states.get(move.key());
            var to = state == null ? java.util.Optional.<OrderStatus>empty() : move.rule().apply(state.status());
            if (to.isEmpty()) {
                continue;
            }
            states.put(move.key(), new State(to.get(), null));
            at.put(move.key(), move.at());
            changes.add(new StatusChange(move.tenantId(), move.environment(), move.orderNumber(), state.status(),
                    to.get(), move.at(), move.cause(), move.causeId(), move.rawMessageId(), move.actor(),
                    move.reasonCode()));
        }
        setStatuses(at.keySet(), states, at);
        return changes;
    }

    /**
     * Stores the orders' new statuses, and the first time each reached a step turnaround is measured at
     * ({@code at}: when the change happened).
     */
    private void setStatuses(java.util.Collection<List<String>> keys, java.util.Map<List<String>, State> states,
                             java.util.Map<List<String>, Instant> at) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.update("""
                        update order_record o set status = c.status, held_from = c.held_from, updated_at = now(),
                            accepted_at = case when c.status = 'accepted' then coalesce(o.accepted_at, c.at)
                                               else o.accepted_at end,
                            collected_at = case when c.status = 'collected' then coalesce(o.collected_at, c.at)
                                                else o.collected_at end,
                            resulted_at = case when c.status = 'resulted' then coalesce(o.resulted_at, c.at)
                                               else o.resulted_at end,
                            released_at = case when c.status = 'released' then coalesce(o.released_at, c.at)
                                               else o.released_at end,
                            delivered_at = case when c.status = 'delivered' then coalesce(o.delivered_at, c.at)
                                                else o.delivered_at end
                        from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                             as c(tenant_id, environment, order_number, status, held_from, at)
                        where o.tenant_id = c.tenant_id and o.environment = c.environment
                          and o.order_number = c.order_number""",
                keys.stream().map(k -> k.get(0)).toArray(String[]::new),
                keys.stream().map(k -> k.get(1)).toArray(String[]::new),
                keys.stream().map(k -> k.get(2)).toArray(String[]::new),
                keys.stream().map(k -> Lifecycle.stored(states.get(k).status())).toArray(String[]::new),
                keys.stream().map(k -> Lifecycle.stored(states.get(k).heldFrom())).toArray(String[]::new),
                keys.stream().map(k -> Timestamp.from(at.get(k))).toArray(Timestamp[]::new));
    }

    private static String[] texts(List<Folded> rows, java.util.function.Function<Folded, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }

    /** One row per observation, the poll's in one statement; a redelivered result inserts nothing. */
    public void addResults(List<LabResultEvent> results) {
        var rows = new ArrayList<Object[]>();
        for (LabResultEvent result : results) {
            List<Observation> observations = result.getObservations();
            for (int i = 0; i < observations.size(); i++) {
                Observation o = observations.get(i);
                rows.add(new Object[] {result.getEventId(), i, result.getTenantId(),
                        EnvironmentNames.of(result.getEnvironment()),
                        OrderKeys.orderNumber(result),
                        result.getStatus().name().toLowerCase(Locale.ROOT), timestamp(result.getIssuedAt()),
                        o.getCode().getCode(), o.getCode().getSystem(), o.getCode().getDisplay(), value(o.getValue()),
                        o.getValue() instanceof Quantity quantity ? quantity.getUnit() : null,
                        range(o.getReferenceRange()), o.getInterpretation().stream().map(Interpretation::name)
                        .map(name -> name.toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(" ")),
                        o.getStatus() == null ? null : o.getStatus().name().toLowerCase(Locale.ROOT),
                        timestamp(o.getObservedAt()), Timestamp.from(result.getSource().getReceivedAt()),
                        result.getSource().getRawMessageId()});
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        jdbc.update("""
                        insert into result_record (event_id, position, tenant_id, environment, order_number,
                                                   result_status, issued_at, test_code, test_system, test_name, value,
                                                   unit, reference_range, flags, observation_status, observed_at,
                                                   received_at, raw_message_id)
                        select * from unnest(?::uuid[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[],
                                             ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                             ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                                             ?::text[])
                        on conflict (event_id, position) do nothing""",
                column(rows, 0, java.util.UUID[]::new), column(rows, 1, Integer[]::new),
                column(rows, 2, String[]::new), column(rows, 3, String[]::new), column(rows, 4, String[]::new),
                column(rows, 5, String[]::new), column(rows, 6, Timestamp[]::new), column(rows, 7, String[]::new),
                column(rows, 8, String[]::new), column(rows, 9, String[]::new), column(rows, 10, String[]::new),
                column(rows, 11, String[]::new), column(rows, 12, String[]::new), column(rows, 13, String[]::new),
                column(rows, 14, String[]::new), column(rows, 15, Timestamp[]::new), column(rows, 16, Timestamp[]::new),
                column(rows, 17, String[]::new));
    }

    /** Column {@code index} of {@code rows}, as the array PostgreSQL's {@code unnest} reads. */
    private static <T> T[] column(List<Object[]> rows, int index, java.util.function.IntFunction<T[]> array) {
        T[] column = array.apply(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            @SuppressWarnings("unchecked")
            T value = (T) rows.get(i)[index];
            column[i] = value;
        }
        return column;
    }

    /** Which of {@code numbers} are orders already, with when Lab Ops received each. */
    java.util.Map<String, Instant> known(String tenantId, String environment, List<String> numbers) {
        var known = new java.util.LinkedHashMap<String, Instant>();
        jdbc.query("""
                        select order_number, received_at from order_record
                        where tenant_id = ? and environment = ? and order_number = any(?::text[])
                        order by order_number""",
                (RowCallbackHandler) rs -> known.put(rs.getString(1), rs.getTimestamp(2).toInstant()),
                tenantId, environment, numbers.toArray(String[]::new));
        return known;
    }

    /** The orders Lab Ops received in [from, to), oldest first. Call inside a transaction. */
    void orders(String tenantId, String environment, Instant from, Instant to, Each<OrderRow> each) {
        streaming.query("""
                        select o.*, case when o.status in ('on-hold', 'cancelled', 'rejected') then o.status
                                         else coalesce('resulted-' || (select r.result_status from result_record r
                                                          where r.tenant_id = o.tenant_id
                                                            and r.environment = o.environment
                                                            and r.order_number = o.order_number
                                                          order by r.received_at desc, r.position limit 1),
                                                       o.status) end as current_status
                        from order_record o
                        where o.tenant_id = ? and o.environment = ? and o.received_at >= ? and o.received_at < ?
                        order by o.received_at, o.order_number""",
                rows(rs -> each.accept(new OrderRow(rs.getString("order_number"), rs.getString("current_status"),
                        rs.getString("priority"), rs.getString("tests"), rs.getString("patient_id"),
                        instant(rs, "ordered_at"), instant(rs, "received_at"), instant(rs, "updated_at"),
                        rs.getString("source"), rs.getString("raw_message_id")))),
                tenantId, environment, Timestamp.from(from), Timestamp.from(to));
    }

    /** The result observations Lab Ops received in [from, to), oldest first. Call inside a transaction. */
    void results(String tenantId, String environment, Instant from, Instant to, Each<ResultRow> each) {
        streaming.query("""
                        select * from result_record
                        where tenant_id = ? and environment = ? and received_at >= ? and received_at < ?
                        order by received_at, event_id, position""",
                rows(rs -> each.accept(new ResultRow(rs.getString("order_number"), rs.getString("result_status"),
                        instant(rs, "issued_at"), rs.getString("test_code"), rs.getString("test_system"),
                        rs.getString("test_name"), rs.getString("value"), rs.getString("unit"),
                        rs.getString("reference_range"), rs.getString("flags"), rs.getString("observation_status"),
                        instant(rs, "observed_at"), instant(rs, "received_at"), rs.getString("raw_message_id")))),
                tenantId, environment, Timestamp.from(from), Timestamp.from(to));
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException, java.io.IOException;
    }

    /** A row handler that lets an export's write failure (the client went away) end the query. */
    private static RowCallbackHandler rows(RowReader reader) {
        return rs -> {
            try {
                reader.read(rs);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }


    /** The medical record number when the order names one, else its first identifier. */
    private static String patientId(PatientReference patient) {
        return patientId(patient.getIdentifiers());
    }

    /** How Lab Ops names a patient among a tenant's: the medical record number, else the first identifier. */
    public static String patientId(List<Identifier> identifiers) {
        return identifiers.stream().filter(id -> "MR".equals(id.getType())).findFirst()
                .or(() -> identifiers.stream().findFirst()).map(Identifier::getValue).orElse(null);
    }

    /** An address on one line, as the person scheduling the visit reads it. */
    public static String address(labops.events.Address address) {
        if (address == null) {
            return null;
        }
        var parts = new ArrayList<String>(address.getLines());
        for (String part : java.util.Arrays.asList(address.getPostalCode(), address.getCity(), address.getState(),
                address.getCountry())) {
            if (part != null && !part.isBlank()) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String concept(CodedConcept concept) {
        return concept.getDisplay() == null ? concept.getCode() : concept.getCode() + " " + concept.getDisplay();
    }

    private static String source(labops.events.EventSource source) {
        return source.getFormat().name().toLowerCase(Locale.ROOT) + " via " + source.getChannel();
    }

    private static String value(Object value) {
        if (value instanceof Quantity quantity) {
            return trim(quantity.getValue());
        }
        if (value instanceof CodedConcept concept) {
            return concept(concept);
        }
        if (value instanceof Attachment attachment) {
            // An export names the attachment; the report itself is the hospital's, delivered with the result.
            return attachment.getContentType() + " attachment, " + attachment.getData().remaining() + " bytes";
        }
        return value == null ? null : value.toString();
    }

    private static String range(ReferenceRange range) {
        if (range == null) {
            return null;
        }
        if (range.getText() != null) {
            return range.getText();
        }
        return (range.getLow() == null ? "" : trim(range.getLow())) + "-"
                + (range.getHigh() == null ? "" : trim(range.getHigh()));
    }

    private static String trim(double number) {
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number)
                : Double.toString(number);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
