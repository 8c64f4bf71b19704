package labops.schemas.topic;

import static labops.schemas.topic.TopicSpec.CleanupPolicy.COMPACT;
import static labops.schemas.topic.TopicSpec.CleanupPolicy.DELETE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every topic Lab Ops uses, declared once. The local stack and the tests create them from this list;
 * {@code deploy} renders the Strimzi {@code KafkaTopic} manifests from it.
 */
public final class Topics {

    public static final String RAW_HL7V2 = "labops.raw.hl7v2";
    public static final String RAW_FHIR = "labops.raw.fhir";
    public static final String RAW_REST = "labops.raw.rest";
    public static final String RAW_CSV = "labops.raw.csv";

    public static final String CANONICAL_ORDERS = "labops.canonical.orders";
    public static final String CANONICAL_RESULTS = "labops.canonical.results";
    public static final String CANONICAL_PATIENTS = "labops.canonical.patients";

    /**
     * Every change of an order's status (Avro {@code OrderLifecycleEvent}), as workflow-service keeps it; keyed per
     * order so one order's changes stay in order.
     */
    public static final String WORKFLOW_ORDERS = "labops.workflow.orders";

    /**
     * Results released to the hospital (Avro {@code LabResultEvent}, as normalized), by workflow under the tenant's
     * release policy: on arrival or after a person's review. Delivery consumes these and nothing else. Keyed per
     * order, so a corrected result never overtakes the final one.
     */
    public static final String RESULTS_RELEASED = "labops.results.released";

    /**
     * What came of each released result's delivery (Avro {@code ResultDeliveryEvent}): delivered, or failed for good.
     * Workflow moves the order to delivered or opens a "delivery failed" task. Keyed per order.
     */
    public static final String DELIVERY_OUTCOMES = "labops.delivery.outcomes";

    /** Decisions services report to the audit log (JSON {@code AuditDecision}). */
    public static final String AUDIT_DECISIONS = "labops.audit.decisions";

    /**
     * Tenant configuration as tenant-service last committed it (JSON {@code TenantConfiguration}, key = tenant id):
     * status, connections, endpoints, active API clients, ids of valid secrets (never their values). Every service
     * reads it whole into memory, so a suspension, revocation or rotation reaches every instance within seconds.
     */
    public static final String TENANT_CONFIG = "labops.tenant.config";

    /**
     * The audit log's signed chain heads (JSON, key = tenant id): each tenant's entry count and last hash, kept
     * outside the audit table so that deleting its newest entries, or all of them, is found by {@code verify}.
     */
    public static final String AUDIT_HEADS = "labops.audit.heads";

    /** Suffix of a raw topic's dead-letter companion: messages the normalizer could not map, reason in headers. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /** Result delivery retries on its own topics so a slow hospital endpoint never blocks the others. */
    public static final String DELIVERY_RETRY_SUFFIX = ".delivery-retry";
    public static final String DELIVERY_DEAD_LETTER_SUFFIX = ".delivery-dlt";
    /** Delivery attempts in all: the first on the main topic, the rest on one retry topic each. */
    public static final int DELIVERY_ATTEMPTS = 4;

    /**
     * The consumer groups that dead-letter through the shared consumer failure policy, each to its own topic
     * ({@link #consumerDeadLetter}). The normalizer dead-letters to the raw DLTs, delivery to its delivery DLT.
     */
    public static final List<String> DEAD_LETTERING_GROUPS = List.of("workflow", "audit",
            "tenant-sandbox-evidence");

    private static final Duration RAW_RETENTION = Duration.ofDays(14);
    private static final Duration CANONICAL_RETENTION = Duration.ofDays(30);
    private static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);
    private static final Duration RETRY_RETENTION = Duration.ofDays(7);
    private static final Duration CONFIG_RETENTION = Duration.ofDays(3650);
    private static final int PARTITIONS = 6;
    private static final int CONFIG_PARTITIONS = 3;

    public static final List<String> RAW = List.of(RAW_HL7V2, RAW_FHIR, RAW_REST, RAW_CSV);

    /** All topics, companions included, in a stable order. */
    public static final List<TopicSpec> ALL = catalogue();

    private Topics() {
    }

    public static String deadLetterOf(String rawTopic) {
        return rawTopic + DEAD_LETTER_SUFFIX;
    }

    /** Retry topic {@code index} (0-based) of result delivery, as spring-kafka names it with index suffixing. */
    public static String deliveryRetry(int index) {
        return RESULTS_RELEASED + DELIVERY_RETRY_SUFFIX + "-" + index;
    }

    public static String deliveryDeadLetter() {
        return RESULTS_RELEASED + DELIVERY_DEAD_LETTER_SUFFIX;
    }

    /** The dead-letter topic of consumer group {@code group}: records it could not process, reason in the headers. */
    public static String consumerDeadLetter(String group) {
        return "labops.dlt." + group;
    }

    public static List<String> names() {
        return ALL.stream().map(TopicSpec::name).toList();
    }

    private static List<TopicSpec> catalogue() {
        var topics = new ArrayList<TopicSpec>();
        for (String raw : RAW) {
            topics.add(new TopicSpec(raw, PARTITIONS, RAW_RETENTION, DELETE,
                    "payloads exactly as received, with the raw header contract"));
            topics.add(new TopicSpec(deadLetterOf(raw), 1, DEAD_LETTER_RETENTION, DELETE,
                    "raw messages the normalizer could not map; reason in labops-failure-reason"));
        }
        topics.add(new TopicSpec(CANONICAL_ORDERS, PARTITIONS, CANONICAL_RETENTION, DELETE, "LabOrderEvent (Avro)"));
        topics.add(new TopicSpec(CANONICAL_RESULTS, PARTITIONS, CANONICAL_RETENTION, DELETE, "LabResultEvent (Avro)"));
        topics.add(new TopicSpec(CANONICAL_PATIENTS, PARTITIONS, CANONICAL_RETENTION, DELETE, "PatientEvent (Avro)"));
        topics.add(new TopicSpec(WORKFLOW_ORDERS, PARTITIONS, CANONICAL_RETENTION, DELETE,
                "OrderLifecycleEvent (Avro): every change of an order's status, keyed per order"));
        topics.add(new TopicSpec(RESULTS_RELEASED, PARTITIONS, CANONICAL_RETENTION, DELETE,
                "LabResultEvent (Avro): results released to the hospital under the tenant's policy, keyed per order"));
        topics.add(new TopicSpec(DELIVERY_OUTCOMES, PARTITIONS, CANONICAL_RETENTION, DELETE,
                "ResultDeliveryEvent (Avro): each released result delivered, or failed for good, keyed per order"));
        for (int i = 0; i < DELIVERY_ATTEMPTS - 1; i++) {
            topics.add(new TopicSpec(deliveryRetry(i), PARTITIONS, RETRY_RETENTION, DELETE,
                    "result deliveries waiting for attempt " + (i + 2)));
        }
        topics.add(new TopicSpec(AUDIT_DECISIONS, PARTITIONS, CANONICAL_RETENTION, DELETE,
                "decisions services report to the audit log (JSON)"));
        topics.add(new TopicSpec(TENANT_CONFIG, CONFIG_PARTITIONS, CONFIG_RETENTION, COMPACT,
                "tenant configuration snapshots (JSON, key = tenant id, no secret values); read whole by every service"));
        topics.add(new TopicSpec(AUDIT_HEADS, CONFIG_PARTITIONS, CONFIG_RETENTION, COMPACT,
                "signed audit chain heads (JSON, key = tenant id): entry count and last hash per tenant"));
        topics.add(new TopicSpec(deliveryDeadLetter(), 1, DEAD_LETTER_RETENTION, DELETE,
                "results whose delivery failed on every attempt"));
        for (String group : DEAD_LETTERING_GROUPS) {
            topics.add(new TopicSpec(consumerDeadLetter(group), 1, DEAD_LETTER_RETENTION, DELETE,
                    "records consumer group " + group + " could not process; reason in labops-failure-reason"));
        }
        return List.copyOf(topics);
    }
}
