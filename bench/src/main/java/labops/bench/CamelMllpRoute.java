package labops.bench;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The comparison the line-rate issue measured against: a plain Camel route, MLLP in, each message sent to Kafka
 * synchronously with acks=all and idempotence, linger 0, the ACK (Camel's own, no HL7 parsing) only after the send.
 * Arguments: MLLP port, bootstrap servers, topic.
 */
public final class CamelMllpRoute {

    private CamelMllpRoute() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String bootstrap = args[1];
        String topic = args[2];
        var main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("mllp://127.0.0.1:" + port + "?autoAck=true&receiveTimeout=60000&idleTimeout=0")
                        .convertBodyTo(byte[].class)
                        .to("kafka:" + topic + "?brokers=" + bootstrap + "&requestRequiredAcks=all"
                                + "&enableIdempotence=true&lingerMs=0&synchronous=true"
                                + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer");
            }
        });
        main.run();
    }
}
