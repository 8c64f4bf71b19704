package labops.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import labops.platform.audit.AuditDecision;
import labops.testsupport.ApiAccessContract;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Per-tenant chains in the real database: appended in batches, redelivery adds nothing, tampering is named. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditLogTest extends ApiAccessContract {

    @Autowired
    AuditLog log;

    @Autowired
    JdbcClient jdbc;

    @Test
    void tenantsChainTheirOwnEntriesAndAChangedRowIsNamedByVerify() {
        String tenant = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "test." + tenant;
        var batch = new ArrayList<AuditLog.Appended>();
        for (int i = 0; i < 6; i++) {
            batch.add(entry(topic, i % 2, i, i % 2 == 0 ? tenant : other, "step " + i));
        }

        assertThat(log.append(batch)).isEqualTo(6);
        assertThat(log.append(batch)).as("a redelivered batch appends nothing").isZero();
        assertThat(log.append(List.of(batch.get(4), entry(topic, 0, 6, tenant, "later"))))
                .as("a batch overlapping what was appended appends only what is new").isEqualTo(1);

        assertThat(log.firstBrokenEntry(tenant)).isNull();
        assertThat(log.firstBrokenEntry(other)).isNull();
        var chain = log.find(tenant, null);
        assertThat(chain).hasSize(4);
        assertThat(chain.get(0).previousHash()).isEqualTo(AuditLog.GENESIS);
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).previousHash()).isEqualTo(chain.get(i - 1).hash());
        }

        var tampered = chain.get(2);
        assertThatThrownBy(() -> jdbc.sql("update audit_entry set detail = 'changed' where id = ?")
                .param(tampered.id()).update()).hasMessageContaining("append-only");
        jdbc.sql("alter table audit_entry disable trigger audit_entry_append_only").update();
        try {
            jdbc.sql("update audit_entry set detail = 'changed' where id = ?").param(tampered.id()).update();
        } finally {
            jdbc.sql("alter table audit_entry enable trigger audit_entry_append_only").update();
        }

        assertThat(log.firstBrokenEntry(tenant)).isEqualTo(tampered.seq());
        assertThat(log.firstBrokenEntry(other)).as("another tenant's chain is untouched").isNull();
    }

    private static AuditLog.Appended entry(String topic, int partition, long offset, String tenant, String detail) {
        return new AuditLog.Appended(UUID.randomUUID(), new AuditLog.Source(topic, partition, offset),
                AuditDecision.change("test.step", tenant, "sandbox", "tester", detail));
    }
}
