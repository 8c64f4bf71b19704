package labops.ingress;

import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param tls             the server certificate of MLLP endpoints that require TLS
 * @param maxInFlight     messages of one connection awaiting Kafka before ingress stops reading from it
 * @param partitionKeySecret base64 key of the keyed hash in Kafka keys; the same on every instance (blank: random)
 * @param idleTimeout     an MLLP connection with nothing read or written for this long is closed
 * @param maxConnectionsPerTenant concurrent MLLP connections one tenant environment may hold on this instance, all its
 *                        endpoints together, once its source is allowed and its TLS handshake done; one more is closed
 *                        at once (sandbox connections never count against production)
 * @param duplicateWindow how long a sender's MSH-10 is remembered: a copy within it is acknowledged but not published
 *                        again (0 turns duplicate detection off)
 * @param messageStatusUrl base URL of audit-service as senders reach it: every answer names where to read what became
 *                        of the message
 * @param maxImportBytes  largest CSV or XLSX file an import takes; a larger one is refused (413) without being stored
 * @param normalizerUrl   base URL of normalizer-service: import rows are mapped through the tenant's profile at upload
 *                        (blank: not checked; an unknown test code then shows only after approval, as a task)
 * @param workflowUrl     base URL of workflow-service: an import row whose order number is an order already is
 *                        refused at upload (blank: not checked)
 * @param httpBodyBudget memory all HTTP message bodies being read or held may take together on this instance; a request
 *                        that would exceed it gets 503 with Retry-After instead of the heap running out (unset: an
 *                        eighth of the heap, see {@link #budget})
 * @param maxConnectionsPerSource concurrent MLLP connections one source address may hold on this instance, counted at
 *                        connect, before anything else: one address cannot take every connection
 * @param frameTimeout    an MLLP frame, once begun, must end within this, plus a second for each 64 KB it has (a
 *                        minimum rate a slow link meets and a slowloris does not); else the connection is closed
 * @param frameBudget     memory all MLLP frames may hold together on this instance, unfinished ones and whole ones until
 *                        their ACK is written; a connection whose unfinished frame would exceed it is closed (unset: an
 *                        eighth of the heap, see {@link #budget})
 * @param recentControlIds HL7 control ids (with their message's checksum) each instance remembers for the duplicate
 *                        window, to answer a reused MSH-10 with other content AE at once (the normalizer checks all)
 */
@ConfigurationProperties("labops.ingress")
public record IngressProperties(@DefaultValue Tls tls,
                                @DefaultValue("32") int maxInFlight, String partitionKeySecret,
                                @DefaultValue("30m") Duration idleTimeout,
                                @DefaultValue("32") int maxConnectionsPerTenant,
                                @DefaultValue("24h") Duration duplicateWindow,
                                @DefaultValue("http://127.0.0.1:8105") String messageStatusUrl,
                                @DefaultValue("20MB") DataSize maxImportBytes,
                                @DefaultValue("http://127.0.0.1:8103") String normalizerUrl,
                                @DefaultValue("http://127.0.0.1:8104") String workflowUrl,
                                DataSize httpBodyBudget,
                                @DefaultValue("16") int maxConnectionsPerSource,
                                @DefaultValue("10s") Duration frameTimeout,
                                DataSize frameBudget,
                                @DefaultValue("200000") int recentControlIds) {

    /**
     * An eighth of the heap for each budget unless set: a message held costs the heap about three times its size (the
     * bytes read, the message, Kafka's batch), so the two budgets together stay within three quarters of it, and a heap
     * sized for the largest message (512 MB for 10 MB) holds several at once without running out.
     */
    static long budget(DataSize configured) {
        return configured != null ? configured.toBytes() : Runtime.getRuntime().maxMemory() / 8;
    }

    public long httpBodyBudgetBytes() {
        return budget(httpBodyBudget);
    }

    public long frameBudgetBytes() {
        return budget(frameBudget);
    }

    /** Where a sender reads what became of message {@code messageId}, with the token it sent it with. */
    public String messageStatus(String tenantId, String environment, java.util.UUID messageId) {
        return messageStatusUrl + "/api/tenants/" + tenantId + "/environments/" + environment + "/messages/" + messageId;
    }

    /**
     * @param keyStore         PKCS#12 file with the server key and certificate chain (blank: TLS endpoints stay closed)
     * @param keyStorePassword its password
     */
    public record Tls(String keyStore, String keyStorePassword) {
    }
}
