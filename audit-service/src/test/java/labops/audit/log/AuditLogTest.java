package labops.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import labops.platform.audit.AuditDecision;
import labops.schemas.DeadLetterHeaders;
import labops.schemas.RawHeaders;
import labops.schemas.topic.Topics;
import labops.testsupport.Eventually;
import labops.testsupport.KafkaTopicReader;
import labops.testsupport.LabOpsInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import labops.testsupport.Api;
import labops.testsupport.ApiAccessContract;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    @Autowired
    ChainHeads heads;

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

        assertThat(log.verify(tenant).intact()).isTrue();
        assertThat(log.verify(other).intact()).isTrue();
        var chain = oldestFirst(tenant);
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

        assertThat(log.verify(tenant).firstBrokenSeq()).isEqualTo(tampered.seq());
        assertThat(log.verify(other).intact()).as("another tenant's chain is untouched").isTrue();
    }

    @Test
    void whatAnEntrySaysIsStoredExactlyQuotesSeparatorsLineBreaksAndEmptinessIncluded() {
        String tenant = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String detail = "OBR-4 \"2345-7\", then, a \\ and\na new line\r\tand ü";
        var written = new AuditLog.Appended(UUID.randomUUID(), new AuditLog.Source("test." + tenant, 0, 0),
                new AuditDecision("test.step", "success", tenant, null, "", null, detail, "tester",
                        Instant.parse("2026-11-27T09:00:00.123456789Z")));

        assertThat(log.append(List.of(written))).isEqualTo(1);

        var read = oldestFirst(tenant);
        assertThat(read).singleElement().satisfies(entry -> {
            assertThat(entry.detail()).isEqualTo(detail);
            assertThat(entry.environment()).as("null stays null").isNull();
            assertThat(entry.messageId()).as("empty stays empty").isEmpty();
            assertThat(entry.eventId()).isNull();
            assertThat(entry.occurredAt()).as("to the microsecond, truncated as hashed")
                    .isEqualTo(Instant.parse("2026-11-27T09:00:00.123456Z"));
        });
        assertThat(log.verify(tenant).intact()).isTrue();

        var lastHalfMicrosecond = new AuditLog.Appended(UUID.randomUUID(), new AuditLog.Source("test." + tenant, 0, 1),
                new AuditDecision("test.step", "success", tenant, null, null, null, "edge", "tester",
                        Instant.parse("2026-11-27T09:00:00.999999700Z")));
        assertThat(log.append(List.of(lastHalfMicrosecond))).isEqualTo(1);
        assertThat(log.verify(tenant).intact()).as("a time PostgreSQL would round into the next millisecond").isTrue();
    }

    @Test
    void aSenderReadsWhatBecameOfItsMessageWithTheTokenItSentItWith() {
        var hospital = tenant();
        String normalized = UUID.randomUUID().toString();
        String rejected = UUID.randomUUID().toString();
        String event = UUID.randomUUID().toString();
        String patient = UUID.randomUUID().toString();
        String topic = "test.fate." + hospital.tenantId();
        log.append(List.of(
                decided(topic, 0, "raw.received", hospital.tenantId(), normalized, null,
                        "channel=fhir-rest topic=labops.raw.fhir"),
                decided(topic, 1, "raw.normalized", hospital.tenantId(), normalized, event,
                        "LabOrderEvent " + event + ", PatientEvent " + patient),
                decided(topic, 2, "raw.duplicate", hospital.tenantId(), normalized, null, "copy acknowledged"),
                decided(topic, 3, "raw.received", hospital.tenantId(), rejected, null, "channel=http-hl7 topic=x"),
                decided(topic, 4, "raw.dead-lettered", hospital.tenantId(), rejected, null,
                        "normalizer: PID-3 (patient identifier) is missing")));
        var sender = api().withToken(hospital.clientToken());
        String base = "/api/tenants/" + hospital.tenantId() + "/environments/";

        String fate = Api.ok(sender.get(base + "sandbox/messages/" + normalized));
        assertThat(JsonPath.<String>read(fate, "$.state")).isEqualTo("normalized");
        assertThat(JsonPath.<String>read(fate, "$.channel")).isEqualTo("fhir-rest");
        assertThat(JsonPath.<List<String>>read(fate, "$.events[*].eventId")).containsExactly(event, patient);
        assertThat(JsonPath.<List<String>>read(fate, "$.events[*].type")).containsExactly("LabOrderEvent",
                "PatientEvent");
        assertThat(JsonPath.<Integer>read(fate, "$.copies")).isEqualTo(1);

        String refused = Api.ok(sender.get(base + "sandbox/messages/" + rejected));
        assertThat(JsonPath.<String>read(refused, "$.state")).isEqualTo("rejected");
        assertThat(JsonPath.<String>read(refused, "$.reason")).isEqualTo("normalizer: PID-3 (patient identifier) is missing");

        var unknown = sender.get(base + "sandbox/messages/" + UUID.randomUUID());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("knows no message");
        assertThat(sender.get(base + "production/messages/" + normalized).statusCode())
                .as("a sandbox token reads no production message").isEqualTo(403);
    }

    @Test
    void aRecordWithoutItsTenantIsLoggedApartAndHoldsNothingUp() {
        var hospital = tenant();
        String topic = Topics.RAW_REST;
        int partition = 900 + (int) (Math.random() * 1000);
        var headerless = new ConsumerRecord<String, byte[]>(topic, partition, 0, "k", new byte[] {1, 2});
        var attributed = new ConsumerRecord<String, byte[]>(topic, partition, 1, "k", new byte[] {3});
        attributed.headers().add(RawHeaders.TENANT, hospital.tenantId().getBytes(StandardCharsets.UTF_8));
        attributed.headers().add(RawHeaders.CHANNEL, "rest".getBytes(StandardCharsets.UTF_8));

        new AuditListener(log).onBatch(List.of(headerless, attributed));

        assertThat(oldestFirst(hospital.tenantId())).extracting(AuditEntry::action).contains("raw.received");
        assertThat(oldestFirst(AuditListener.UNATTRIBUTED)).extracting(AuditEntry::detail)
                .contains("no tenant or incomplete decision at " + topic + "-" + partition + "@0");
    }

    @Test
    void aDecisionTheDatabaseCannotStoreIsDeadLetteredAloneAndANulInADetailIsKept() throws Exception {
        String tenant = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        String poison = decisionJson(tenant, "test.poison", "far future", "+300000-01-01T00:00:00Z");
        String withNul = decisionJson(tenant, "test.nul", "MSH-10 was CTRL\\u00001", "2026-12-07T09:00:00Z");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LabOpsInfrastructure.kafka().bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.AUDIT_DECISIONS, tenant, poison)).get();
            producer.send(new ProducerRecord<>(Topics.AUDIT_DECISIONS, tenant, withNul)).get();
        }

        var entries = Eventually.await("the entry after the poison", Duration.ofSeconds(60), () -> {
            var found = oldestFirst(tenant);
            return found.isEmpty() ? Optional.<List<AuditEntry>>empty() : Optional.of(found);
        });
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("test.nul");
            assertThat(entry.detail()).isEqualTo("MSH-10 was CTRL\uFFFD1");
        });
        assertThat(log.verify(tenant).intact()).isTrue();
        var dead = Eventually.await("the poison on the audit DLT", Duration.ofSeconds(60), () ->
                KafkaTopicReader.readAll(LabOpsInfrastructure.kafka().bootstrapServers(),
                                Topics.consumerDeadLetter("audit")).stream()
                        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(tenant)).findFirst());
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(poison);
        assertThat(header(dead, DeadLetterHeaders.CODE)).isEqualTo("unstorable");
        assertThat(header(dead, DeadLetterHeaders.REASON)).startsWith("the database refused the record (SQLSTATE 22");
        assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("audit");
        assertThat(header(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
    }

    /**
     * Issue 28's audit row, as a database administrator would try it: the newest entries deleted, a tenant's entries
     * truncated, an entry changed and its chain recomputed with plain SHA-256. The signed head, kept outside the table,
     * and the keyed MAC name each.
     */
    @Test
    void deletingTheNewestEntriesOrTruncatingIsFoundAgainstTheSignedHead() {
        String tenant = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "test.head." + tenant;
        var batch = new ArrayList<AuditLog.Appended>();
        for (int i = 0; i < 10; i++) {
            batch.add(decided(topic, i, "raw.received", tenant, "m-" + i, null, "entry " + i));
        }
        log.append(batch);
        signedHeadCounts(tenant, 10);
        assertThat(log.verify(tenant).intact()).isTrue();

        withoutAppendOnlyTrigger(() -> jdbc.sql("""
                delete from audit_entry where tenant_id = ? and chain_seq > 8""").param(tenant).update());
        var deleted = log.verify(tenant);
        System.out.println("newest two deleted: " + deleted.reason());
        assertThat(deleted.intact()).isFalse();
        assertThat(deleted.firstMissing()).isEqualTo(9L);

        withoutAppendOnlyTrigger(() -> jdbc.sql("delete from audit_entry where tenant_id = ?").param(tenant).update());
        var truncated = log.verify(tenant);
        System.out.println("truncated: " + truncated.reason());
        assertThat(truncated.firstMissing()).isEqualTo(1L);
        assertThat(truncated.reason()).contains("counts 10 entries; the log holds 0");
    }

    /**
     * Issue 33: one tenant's entries from several partitions appended at once by several threads (a redelivered batch
     * racing among them), then verified; and under those parallel chains a changed row, a deleted newest entry and a
     * truncation are each still named.
     */
    @Test
    void oneTenantAppendsFromSeveralThreadsAtOnceAndEveryChainVerifiesAndTamperingIsStillNamed() throws Exception {
        String tenant = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "test.parallel." + tenant;
        int threads = 4;
        int batches = 25;
        int perBatch = 40;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
        var start = new java.util.concurrent.CountDownLatch(1);
        var appended = new java.util.concurrent.atomic.AtomicInteger();
        var done = new ArrayList<java.util.concurrent.Future<?>>();
        try {
            for (int t = 0; t <= threads; t++) {
                // Thread 'threads' replays partition 0's batches: the same records as thread 0, racing it.
                int partition = t == threads ? 0 : t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int b = 0; b < batches; b++) {
                        var batch = new ArrayList<AuditLog.Appended>();
                        for (int i = 0; i < perBatch; i++) {
                            long offset = (long) b * perBatch + i;
                            batch.add(new AuditLog.Appended(UUID.nameUUIDFromBytes((partition + "/" + offset)
                                    .getBytes(StandardCharsets.UTF_8)), new AuditLog.Source(topic, partition, offset),
                                    new AuditDecision("raw.received", "success", tenant, "sandbox", "m-" + offset, null,
                                            "partition " + partition + " entry " + offset, "test", Instant.now())));
                        }
                        appended.addAndGet(log.append(batch));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var future : done) {
                future.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int expected = threads * batches * perBatch;
        assertThat(appended.get()).as("each record appended once, the racing replay included").isEqualTo(expected);
        heads.publish();
        Eventually.await("a signed head for each of the " + threads + " chains", Duration.ofSeconds(20), () ->
                java.util.Optional.of(heads.latest(tenant)).filter(h -> h.size() == threads
                        && h.values().stream().allMatch(head -> head.count() == (long) batches * perBatch)));
        var verified = log.verify(tenant);
        assertThat(verified.intact()).as(verified.reason()).isTrue();
        assertThat(verified.entries()).isEqualTo(expected);
        assertThat(verified.chains()).isEqualTo(threads);
        assertThat(verified.headsSigned()).isEqualTo(threads);

        String chain2 = topic + "-2";
        long changedSeq = jdbc.sql("select seq from audit_entry where tenant_id = ? and chain = ? and chain_seq = 500")
                .params(tenant, chain2).query(Long.class).single();
        withoutAppendOnlyTrigger(() -> jdbc.sql("update audit_entry set detail = 'changed' where seq = ?")
                .param(changedSeq).update());
        var changed = log.verify(tenant);
        assertThat(changed.firstBrokenSeq()).isEqualTo(changedSeq);
        assertThat(changed.chain()).isEqualTo(chain2);
        withoutAppendOnlyTrigger(() -> jdbc.sql("delete from audit_entry where chain = ? and chain_seq >= 500")
                .param(chain2).update());

        String chain1 = topic + "-1";
        withoutAppendOnlyTrigger(() -> jdbc.sql("delete from audit_entry where chain = ? and chain_seq > 990")
                .param(chain1).update());
        var deleted = log.verify(tenant);
        assertThat(deleted.intact()).isFalse();
        assertThat(deleted.chain()).isEqualTo(chain1);
        assertThat(deleted.firstMissing()).isEqualTo(991L);

        withoutAppendOnlyTrigger(() -> jdbc.sql("delete from audit_entry where tenant_id = ?").param(tenant).update());
        var truncated = log.verify(tenant);
        assertThat(truncated.firstMissing()).isEqualTo(1L);
        assertThat(truncated.reason()).contains("counts 1000 entries; the log holds 0");
    }

    @Test
    void anEntryChangedAndItsChainRecomputedWithoutTheKeyIsNamed() {
        String tenant = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "test.rehash." + tenant;
        var batch = new ArrayList<AuditLog.Appended>();
        for (int i = 0; i < 3; i++) {
            batch.add(decided(topic, i, "raw.received", tenant, "m-" + i, null, "entry " + i));
        }
        log.append(batch);
        var chain = oldestFirst(tenant);
        var changed = chain.get(1);
        // What someone with the table but not the key can do: change a field, recompute plain SHA-256 from there on.
        var decision = new AuditDecision(changed.action(), changed.outcome(), tenant, changed.environment(),
                changed.messageId(), changed.eventId(), "rewritten history", changed.actor(), changed.occurredAt());
        String rehashed = sha256(AuditLog.content(changed.previousHash(), changed.id(), decision));
        withoutAppendOnlyTrigger(() -> jdbc.sql("""
                        update audit_entry set detail = 'rewritten history', hash = ?, key_id = null where id = ?""")
                .params(rehashed, changed.id()).update());

        assertThat(log.verify(tenant).firstBrokenSeq()).isEqualTo(changed.seq());
    }

    private void signedHeadCounts(String tenant, long count) {
        heads.publish();
        Eventually.await("the signed head of " + tenant, Duration.ofSeconds(20), () ->
                heads.latest(tenant).values().stream().filter(h -> h.count() == count).findFirst());
    }

    private void withoutAppendOnlyTrigger(Runnable change) {
        jdbc.sql("alter table audit_entry disable trigger audit_entry_append_only").update();
        try {
            change.run();
        } finally {
            jdbc.sql("alter table audit_entry enable trigger audit_entry_append_only").update();
        }
    }

    private static String sha256(String content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theLogPagesNewestFirstWithACursorAndFilters() {
        String tenant = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "test." + tenant;
        var batch = new ArrayList<AuditLog.Appended>();
        for (int i = 0; i < 250; i++) {
            batch.add(decided(topic, i, i % 5 == 0 ? "task.created" : "raw.received", tenant, "m-" + (i % 7), null,
                    "entry " + i));
        }
        log.append(batch);
        var all = new AuditLog.Filter(null, null, null, null, null);

        var first = log.page(tenant, all, null, 100);
        var second = log.page(tenant, all, first.next(), 100);
        var last = log.page(tenant, all, second.next(), 100);
        assertThat(first.entries()).hasSize(100).first().extracting(AuditEntry::detail).isEqualTo("entry 249");
        assertThat(second.entries()).hasSize(100).first().extracting(AuditEntry::detail).isEqualTo("entry 149");
        assertThat(last.entries()).hasSize(50).last().extracting(AuditEntry::detail).isEqualTo("entry 0");
        assertThat(last.next()).isNull();

        var tasks = log.page(tenant, new AuditLog.Filter("task.created", null, null, null, null), null, 1000);
        assertThat(tasks.entries()).hasSize(50).allSatisfy(e -> assertThat(e.action()).isEqualTo("task.created"));
        var oneMessage = log.page(tenant, new AuditLog.Filter(null, "test", "m-3", null, null), null, 1000);
        assertThat(oneMessage.entries()).isNotEmpty().allSatisfy(e -> assertThat(e.messageId()).isEqualTo("m-3"));
        var none = log.page(tenant, new AuditLog.Filter(null, null, null, Instant.now().plusSeconds(60), null), null,
                10);
        assertThat(none.entries()).isEmpty();
        assertThat(log.verify(tenant).intact()).as("verified by streaming 250 entries").isTrue();
    }

    @Test
    void overHttpThePageAfterIsNamedInTheLinkHeader() {
        var hospital = tenant();
        String topic = "test.link." + hospital.tenantId();
        var batch = new ArrayList<AuditLog.Appended>();
        for (int i = 0; i < 5; i++) {
            batch.add(decided(topic, i, "raw.received", hospital.tenantId(), "m", null, "entry " + i));
        }
        log.append(batch);
        var reader = api().withToken(hospital.adminToken());
        String path = "/api/tenants/" + hospital.tenantId() + "/audit?action=raw.received&limit=3";

        var first = reader.get(path);
        assertThat(JsonPath.<List<String>>read(first.body(), "$[*].detail"))
                .containsExactly("entry 4", "entry 3", "entry 2");
        String link = first.headers().firstValue("Link").orElseThrow();
        assertThat(link).endsWith("; rel=\"next\"").contains("action=raw.received").contains("before=");
        String next = java.net.URI.create(link.substring(1, link.indexOf('>'))).getRawPath() + "?"
                + java.net.URI.create(link.substring(1, link.indexOf('>'))).getRawQuery();
        var second = reader.get(next);
        assertThat(JsonPath.<List<String>>read(second.body(), "$[*].detail")).containsExactly("entry 1", "entry 0");
        assertThat(second.headers().firstValue("Link")).isEmpty();
        assertThat(reader.get(path.replace("limit=3", "limit=0")).statusCode()).isEqualTo(400);
    }

    private static String decisionJson(String tenant, String action, String detail, String occurredAt) {
        return """
                {"action":"%s","outcome":"success","tenantId":"%s","environment":"sandbox","messageId":null,\
                "eventId":null,"detail":"%s","actor":"tester","occurredAt":"%s"}""".formatted(action, tenant, detail,
                occurredAt);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static AuditLog.Appended decided(String topic, long offset, String action, String tenant, String messageId,
                                             String eventId, String detail) {
        return new AuditLog.Appended(UUID.randomUUID(), new AuditLog.Source(topic, 0, offset), new AuditDecision(
                action, "success", tenant, "sandbox", messageId, eventId, detail, "test", Instant.now()));
    }

    private static AuditLog.Appended entry(String topic, int partition, long offset, String tenant, String detail) {
        return new AuditLog.Appended(UUID.randomUUID(), new AuditLog.Source(topic, partition, offset),
                AuditDecision.change("test.step", tenant, "sandbox", "tester", detail));
    }

    /** A tenant's entries in chain order (the API pages newest first). */
    private List<AuditEntry> oldestFirst(String tenant) {
        var newest = new java.util.ArrayList<>(log.page(tenant, new AuditLog.Filter(null, null, null, null, null), null,
                AuditController.MAX_PAGE).entries());
        java.util.Collections.reverse(newest);
        return newest;
    }
}
