package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import labops.schemas.topic.Topics;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * After everything else ran (but before the broker is stopped): no secret any test handed to or was shown by Lab Ops
 * appears in plaintext in any table of any service, on any topic (value or header), or in any service's log.
 */
@Order(10)
class SecretsAtRestSystemTest {

    private static final List<String> SCHEMAS = List.of("tenant", "workflow", "audit", "delivery");

    @Test
    void noPlaintextSecretInAnyTableTopicOrLog() throws Exception {
        var system = LabOpsSystem.get();
        List<String> secrets = forms(system.secretsSeen());
        assertThat(secrets).hasSizeGreaterThan(8);

        for (String table : tables()) {
            String rows = rows(table);
            for (String secret : secrets) {
                assertThat(rows).as("table " + table).doesNotContain(secret);
            }
        }
        String bootstrap = LabOpsInfrastructure.kafka().bootstrapServers();
        for (String topic : Topics.names()) {
            var text = new StringBuilder();
            for (var record : KafkaTopicReader.readAll(bootstrap, topic)) {
                text.append(new String(record.value() == null ? new byte[0] : record.value(), StandardCharsets.ISO_8859_1));
                record.headers().forEach(h -> text.append(new String(h.value(), StandardCharsets.ISO_8859_1)));
            }
            for (String secret : secrets) {
                assertThat(text.toString()).as("topic " + topic).doesNotContain(secret);
            }
        }
        try (var logs = Files.list(LabOpsSystem.LOGS)) {
            for (Path log : logs.toList()) {
                String content = Files.readString(log, StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("log " + log.getFileName()).doesNotContain(secret);
                }
            }
        }
    }

    /** A signing secret leaks as well without its {@code whsec_} prefix. */
    private static List<String> forms(List<String> secrets) {
        var forms = new ArrayList<String>();
        for (String secret : secrets) {
            forms.add(secret);
            if (secret.startsWith("whsec_")) {
                forms.add(secret.substring("whsec_".length()));
            }
        }
        return forms;
    }

    private static List<String> tables() throws SQLException {
        var tables = new ArrayList<String>();
        try (var connection = LabOpsInfrastructure.postgres().dataSource().getConnection();
             var statement = connection.prepareStatement("select table_schema || '.' || table_name from "
                     + "information_schema.tables where table_schema = any (?) and table_type = 'BASE TABLE'")) {
            statement.setArray(1, connection.createArrayOf("text", SCHEMAS.toArray()));
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
        }
        assertThat(tables).contains("tenant.connection_secret", "tenant.api_credential_secret", "audit.audit_entry");
        return tables;
    }

    private static String rows(String table) throws SQLException {
        var text = new StringBuilder();
        try (var connection = LabOpsInfrastructure.postgres().dataSource().getConnection();
             var result = connection.createStatement().executeQuery("select t::text from " + table + " t")) {
            while (result.next()) {
                text.append(result.getString(1)).append('\n');
            }
        }
        return text.toString();
    }
}
