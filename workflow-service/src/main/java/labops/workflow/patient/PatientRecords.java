package labops.workflow.patient;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.events.ContactSystem;
import labops.events.PatientEvent;
import labops.events.PersonName;
import labops.platform.tenant.EnvironmentNames;
import labops.workflow.record.Records;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The patients a tenant's hospital sent, as staff need them to call and visit ({@code patient}): name, birth date,
 * address and phone, the last the hospital sent. Read only for a task, by a person whose role allows it.
 */
@Repository
public class PatientRecords {

    /** A patient as a person allowed to see them is shown them. */
    public record Patient(String family, String given, LocalDate birthDate, String address, String phone) {
    }

    /** A poll's patient as stored: its row's fields. */
    private record Row(String tenantId, String environment, String patientId, String family, String given,
                       LocalDate birthDate, String address, String phone, Timestamp at, String rawMessageId) {

        List<String> key() {
            return List.of(tenantId, environment, patientId);
        }

        /** Another name or birth date for the same patient; a field left out is no change. */
        boolean differs(String otherFamily, String otherGiven, LocalDate otherBirthDate) {
            return family != null && otherFamily != null && !family.equalsIgnoreCase(otherFamily)
                    || given != null && otherGiven != null && !given.equalsIgnoreCase(otherGiven)
                    || birthDate != null && otherBirthDate != null && !birthDate.equals(otherBirthDate);
        }
    }

    private final JdbcClient jdbc;

    PatientRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores a poll's patients (the last event of each wins) in one statement; returns the events that name a patient
     * Lab Ops knew (stored, or earlier in the poll) with another name or birth date: the identity to check.
     */
    public List<PatientEvent> apply(List<PatientEvent> events) {
        var rows = new LinkedHashMap<List<String>, Row>();
        var changed = new ArrayList<PatientEvent>();
        var firstOf = new LinkedHashMap<List<String>, PatientEvent>();
        for (PatientEvent event : events) {
            Row row = row(event);
            if (row == null) {
                continue;
            }
            Row before = rows.get(row.key());
            if (before != null && before.differs(row.family(), row.given(), row.birthDate())) {
                changed.add(event);
            }
            firstOf.putIfAbsent(row.key(), event);
            rows.put(row.key(), merged(before, row));
        }
        if (rows.isEmpty()) {
            return changed;
        }
        var list = List.copyOf(rows.values());
        // One statement: every part of it sees the rows as they were before it wrote (what the poll's first event of
        // each patient changed), and the upsert runs whether or not the select reads its output.
        jdbc.sql("""
                        with incoming as (
                            select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::date[],
                                                 ?::text[], ?::text[], ?::timestamptz[], ?::text[])
                                as x(tenant_id, environment, patient_id, family, given, birth_date, address, phone, at,
                                     raw_message_id)),
                        stored as (
                            select p.tenant_id, p.environment, p.patient_id, p.family, p.given, p.birth_date
                            from incoming i cross join lateral (
                                select * from patient s where s.tenant_id = i.tenant_id and s.environment = i.environment
                                  and s.patient_id = i.patient_id) p),
                        written as (
                            insert into patient as p (tenant_id, environment, patient_id, family, given, birth_date,
                                                      address, phone, updated_at, raw_message_id)
                            select tenant_id, environment, patient_id, family, given, birth_date, address, phone, at,
                                   raw_message_id from incoming
                            on conflict (tenant_id, environment, patient_id) do update set
                                family = coalesce(excluded.family, p.family), given = coalesce(excluded.given, p.given),
                                birth_date = coalesce(excluded.birth_date, p.birth_date),
                                address = coalesce(excluded.address, p.address),
                                phone = coalesce(excluded.phone, p.phone), updated_at = excluded.updated_at,
                                raw_message_id = excluded.raw_message_id
                            -- A patient sent again as they were (every order message carries its PID) writes nothing.
                            where (p.family, p.given, p.birth_date, p.address, p.phone) is distinct from
                                  (coalesce(excluded.family, p.family), coalesce(excluded.given, p.given),
                                   coalesce(excluded.birth_date, p.birth_date), coalesce(excluded.address, p.address),
                                   coalesce(excluded.phone, p.phone)))
                        select tenant_id, environment, patient_id, family, given, birth_date from stored""")
                .params(texts(list, Row::tenantId), texts(list, Row::environment), texts(list, Row::patientId),
                        texts(list, Row::family), texts(list, Row::given),
                        list.stream().map(r -> r.birthDate() == null ? null : Date.valueOf(r.birthDate()))
                                .toArray(Date[]::new),
                        texts(list, Row::address), texts(list, Row::phone),
                        list.stream().map(Row::at).toArray(Timestamp[]::new), texts(list, Row::rawMessageId))
                .query((rs, n) -> {
                    Date birth = rs.getDate(6);
                    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            birth == null ? null : birth.toLocalDate(), null, null, null, null);
                }).list()
                .forEach(stored -> {
                    PatientEvent first = firstOf.get(stored.key());
                    if (row(first).differs(stored.family(), stored.given(), stored.birthDate())) {
                        changed.add(0, first);
                    }
                });
        return changed;
    }

    /** The patient a task is about (its order's, or the one an identity task names); empty when Lab Ops has none. */
    public Optional<Patient> forTask(String tenantId, String environment, UUID taskId, String orderNumber) {
        return jdbc.sql("""
                        select family, given, birth_date, address, phone from patient
                        where tenant_id = ? and environment = ? and patient_id = coalesce(
                            (select patient_id from patient_task where task_id = ?),
                            (select patient_id from order_record
                             where tenant_id = ? and environment = ? and order_number = ?))""")
                .params(tenantId, environment, taskId, tenantId, environment, orderNumber)
                .query((rs, n) -> {
                    Date birth = rs.getDate("birth_date");
                    return new Patient(rs.getString("family"), rs.getString("given"),
                            birth == null ? null : birth.toLocalDate(), rs.getString("address"), rs.getString("phone"));
                }).optional();
    }

    /** Which patient each identity task is about. */
    public void link(Map<UUID, String> patientOfTask) {
        if (patientOfTask.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into patient_task (task_id, patient_id) select * from unnest(?::uuid[], ?::text[])
                        on conflict (task_id) do nothing""")
                .params(patientOfTask.keySet().toArray(UUID[]::new), patientOfTask.values().toArray(String[]::new))
                .update();
    }

    /** How Lab Ops names the event's patient, as orders name theirs. */
    public static String patientId(PatientEvent event) {
        return Records.patientId(event.getIdentifiers());
    }

    private static Row row(PatientEvent event) {
        String id = patientId(event);
        if (id == null) {
            return null;
        }
        PersonName name = event.getNames().isEmpty() ? null : event.getNames().get(0);
        String phone = event.getTelecom().stream().filter(c -> c.getSystem() == ContactSystem.PHONE)
                .map(c -> c.getValue()).findFirst().orElse(null);
        return new Row(event.getTenantId(), EnvironmentNames.of(event.getEnvironment()), id,
                name == null ? null : name.getFamily(),
                name == null || name.getGiven().isEmpty() ? null : String.join(" ", name.getGiven()),
                event.getBirthDate(), event.getAddresses().isEmpty() ? null : Records.address(event.getAddresses().get(0)),
                phone, Timestamp.from(event.getSource().getReceivedAt()), event.getSource().getRawMessageId());
    }

    /** A later event's fields over an earlier one's, where it has them. */
    private static Row merged(Row before, Row after) {
        if (before == null) {
            return after;
        }
        return new Row(after.tenantId(), after.environment(), after.patientId(),
                after.family() != null ? after.family() : before.family(),
                after.given() != null ? after.given() : before.given(),
                after.birthDate() != null ? after.birthDate() : before.birthDate(),
                after.address() != null ? after.address() : before.address(),
                after.phone() != null ? after.phone() : before.phone(), after.at(), after.rawMessageId());
    }

    private static String[] texts(List<Row> rows, java.util.function.Function<Row, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }
}
