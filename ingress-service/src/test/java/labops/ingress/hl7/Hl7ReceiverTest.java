package labops.ingress.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import labops.ingress.IngressProperties;
import labops.ingress.duplicate.DuplicateGuard;
import labops.ingress.endpoint.EndpointDirectory;
import labops.ingress.endpoint.IntakePolicy;
import labops.ingress.intake.RawIntake;
import labops.platform.tenant.TenantDirectory;
import labops.ingress.raw.PartitionKeys;
import labops.ingress.raw.RawPublisher;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/** What a sender hears when its message arrives on a port no active endpoint owns (revoked, or never issued). */
class Hl7ReceiverTest {

    private static final byte[] ORDER = ("MSH|^~\\&|EHR|HOSP|LAB|LAB|20261125083000||ORM^O01|CTRL-42|P|2.3\r"
            + "PID|1||MRN-1^^^HOSP^MR\r").getBytes(StandardCharsets.ISO_8859_1);

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Never refreshed: the directory knows no endpoint, as after a revocation. Nothing may be published.
    private final TenantDirectory tenants = new TenantDirectory(new KafkaProperties(), Duration.ofMillis(500));
    private final IngressProperties properties = new IngressProperties(new IngressProperties.Tls(null, null), 8,
            null, Duration.ofMinutes(30), 32, Duration.ZERO, "http://127.0.0.1:8105",
                org.springframework.util.unit.DataSize.ofMegabytes(20), "", "",
                org.springframework.util.unit.DataSize.ofMegabytes(128), 16, Duration.ofSeconds(10),
                org.springframework.util.unit.DataSize.ofMegabytes(256), 1000);
    private final Hl7Receiver receiver = new Hl7Receiver(new EndpointDirectory(tenants), new RawIntake(
            new IntakePolicy(tenants), new RawPublisher(null), new DuplicateGuard(null, properties), null, meters,
            new labops.ingress.intake.AccessRefusals(null)),
            new PartitionKeys(properties), new RecentControlIds(properties));

    @Test
    void aMessageOnAPortWithoutActiveEndpointIsRejectedWithAReason() {
        var answer = receiver.receive(ORDER, 40123, new InetSocketAddress("127.0.0.1", 50000), Runnable::run).join();
        String ack = new String(answer.ack(), StandardCharsets.ISO_8859_1);

        assertThat(answer.verdict()).isEqualTo(Hl7Answer.Verdict.NOT_ALLOWED);
        assertThat(ack).contains("\rMSA|AR|CTRL-42").contains("\rERR|").contains("no active Lab Ops endpoint on this port");
        assertThat(meters.scrape()).contains("labops_ingress_messages_total{channel=\"mllp\",environment=\"unknown\",outcome=\"no-endpoint\"} 1.0");
    }
}
