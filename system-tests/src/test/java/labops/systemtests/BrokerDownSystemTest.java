package labops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import labops.testsupport.LabOpsInfrastructure;
import labops.testsupport.MllpPeer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Runs last of all system tests: it stops the shared broker. A sender is never told AA for what Kafka did not take. */
@Order(Integer.MAX_VALUE)
class BrokerDownSystemTest {

    @Test
    void withTheBrokerStoppedTheListenerNeverAnswersAa() throws Exception {
        var system = LabOpsSystem.get();
        LabOpsInfrastructure.kafka().close();
        byte[] order = WalkingSkeletonSystemTest.sample("orm-o01-v23.hl7", "MSG-ORM-0001", "MSG-ORM-BROKER-DOWN");

        var ack = MllpPeer.send(system.ordersPort(), order);

        assertThat(ack.field("MSA", 1)).as(ack.text()).isEqualTo("AR");
        assertThat(ack.field("MSA", 2)).isEqualTo("MSG-ORM-BROKER-DOWN");
        assertThat(ack.text()).contains("not stored");
    }
}
