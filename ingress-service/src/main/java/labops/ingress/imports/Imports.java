package labops.ingress.imports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Import batches and their rows, as uploaded, checked and approved. */
@Repository
class Imports {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> VALUES = new TypeReference<>() { };
    private static final TypeReference<List<String>> REASONS = new TypeReference<>() { };

    /** A batch and how its rows stand. */
    record Batch(UUID id, String tenantId, String environment, String fileName, String uploadedBy, Instant uploadedAt,
                 long rows, long valid, long invalid, long published) {
    }

    /** A row: its values as read, the order it makes (when valid), why not, and whether it became a message. */
    record Row(long number, Map<String, String> values, String order, List<String> reasons, UUID messageId,
               String approvedBy, Instant approvedAt) {

        /** A row that cannot be an order, and why. */
        static Row refused(long number, Map<String, String> values, List<String> reasons) {
            return new Row(number, values, null, reasons, null, null, null);
        }

        String status() {
            return messageId != null ? "published" : reasons.isEmpty() ? "valid" : "invalid";
        }
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    Imports(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    Optional<ColumnMapping> mapping(String tenantId, String environment) {
        return jdbc.sql("select mapping from import_mapping where tenant_id = ? and environment = ?")
                .params(tenantId, environment).query(String.class).optional()
                .map(json -> JSON.readValue(json, ColumnMapping.class));
    }

    void saveMapping(String tenantId, String environment, ColumnMapping mapping, String savedBy) {
        jdbc.sql("""
                        insert into import_mapping (tenant_id, environment, mapping, saved_by) values (?, ?, ?, ?)
                        on conflict (tenant_id, environment)
                        do update set mapping = excluded.mapping, saved_by = excluded.saved_by, saved_at = now()""")
                .params(tenantId, environment, JSON.writeValueAsString(mapping), savedBy).update();
    }

    /** A new batch under {@code id}; false when that id is taken. */
    boolean create(UUID id, String tenantId, String environment, String fileName, String uploadedBy,
                   ColumnMapping mapping) {
        return jdbc.sql("insert into import_batch (id, tenant_id, environment, file_name, uploaded_by, mapping) "
                        + "values (?, ?, ?, ?, ?, ?) on conflict (id) do nothing")
                .params(id, tenantId, environment, fileName, uploadedBy, JSON.writeValueAsString(mapping))
                .update() == 1;
    }

    /** Rows as one statement batch: a large file is written as it is read, a few hundred rows at a time. */
    void add(UUID batchId, List<Row> rows) {
        var args = new ArrayList<Object[]>(rows.size());
        for (Row row : rows) {
            args.add(new Object[] {batchId, row.number(), JSON.writeValueAsString(row.values()), row.order(),
                    JSON.writeValueAsString(row.reasons())});
        }
        batch.batchUpdate("insert into import_row (batch_id, row_number, row_values, order_json, reasons) "
                + "values (?, ?, ?, ?, ?)", args);
    }

    void delete(UUID batchId) {
        jdbc.sql("delete from import_row where batch_id = ?").param(batchId).update();
        jdbc.sql("delete from import_batch where id = ?").param(batchId).update();
    }

    Optional<Batch> batch(String tenantId, String environment, UUID id) {
        return jdbc.sql("""
                        select b.*, count(r.row_number) as rows,
                               count(*) filter (where r.message_id is null and r.reasons = '[]') as valid,
                               count(*) filter (where r.reasons <> '[]') as invalid,
                               count(r.message_id) as published
                        from import_batch b left join import_row r on r.batch_id = b.id
                        where b.id = ? and b.tenant_id = ? and b.environment = ? group by b.id""")
                .params(id, tenantId, environment)
                .query((rs, i) -> new Batch(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                        rs.getString("environment"), rs.getString("file_name"), rs.getString("uploaded_by"),
                        rs.getTimestamp("uploaded_at").toInstant(), rs.getLong("rows"), rs.getLong("valid"),
                        rs.getLong("invalid"), rs.getLong("published"))).optional();
    }

    ColumnMapping batchMapping(UUID id) {
        return JSON.readValue(jdbc.sql("select mapping from import_batch where id = ?").param(id).query(String.class)
                .single(), ColumnMapping.class);
    }

    List<Row> rows(UUID batchId, long after, int limit) {
        return jdbc.sql("select * from import_row where batch_id = ? and row_number > ? order by row_number limit ?")
                .params(batchId, after, limit).query((rs, i) -> new Row(rs.getLong("row_number"),
                        JSON.readValue(rs.getString("row_values"), VALUES), rs.getString("order_json"),
                        JSON.readValue(rs.getString("reasons"), REASONS), rs.getObject("message_id", UUID.class),
                        rs.getString("approved_by"), instant(rs.getTimestamp("approved_at")))).list();
    }

    Optional<Row> row(UUID batchId, long number) {
        return rows(batchId, number - 1, 1).stream().filter(r -> r.number() == number).findFirst();
    }

    /** Replaces a row not yet published with its corrected values, order and reasons. */
    boolean update(UUID batchId, Row row) {
        return jdbc.sql("""
                        update import_row set row_values = ?, order_json = ?, reasons = ?
                        where batch_id = ? and row_number = ? and message_id is null""")
                .params(JSON.writeValueAsString(row.values()), row.order(), JSON.writeValueAsString(row.reasons()),
                        batchId, row.number()).update() == 1;
    }

    void published(UUID batchId, long number, UUID messageId, String approvedBy) {
        jdbc.sql("""
                        update import_row set message_id = ?, approved_by = ?, approved_at = now()
                        where batch_id = ? and row_number = ? and message_id is null""")
                .params(messageId, approvedBy, batchId, number).update();
    }

    /** Another row of the batch with this order number, if any (a duplicate within the file). */
    Optional<Long> sameOrderNumber(UUID batchId, long number, String orderNumber) {
        return jdbc.sql("""
                        select row_number from import_row
                        where batch_id = ? and row_number <> ? and order_json is not null
                          and order_json::jsonb ->> 'orderNumber' = ? order by row_number limit 1""")
                .params(batchId, number, orderNumber).query(Long.class).optional();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
