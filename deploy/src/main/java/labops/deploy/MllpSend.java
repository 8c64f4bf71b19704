package labops.deploy;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import labops.schemas.Er7;

/**
 * {@code ./labops send FILE [PORT]}: sends one HL7 v2 message over MLLP with HAPI's client, as a hospital
 * interface engine would, and prints the ACK. ORU^R01 files go to the results port, everything else to the
 * orders port, unless PORT is given.
 */
public final class MllpSend {

    private MllpSend() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: labops send FILE [PORT]");
            System.exit(2);
        }
        String file = Files.readString(Path.of(args[0]));
        try {
            Er7.delimiters(file);
        } catch (Er7.Unreadable unreadable) {
            System.err.println("labops send: " + args[0] + ": " + unreadable.getMessage());
            System.exit(2);
        }
        // Segments as Lab Ops frames them (CR, CRLF or LF in the file), sent with CR as HL7 asks.
        String text = String.join("\r", Er7.segments(file));
        try (HapiContext hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5.1"))) {
            hapi.setValidationContext(ValidationContextFactory.noValidation());
            Message message = hapi.getPipeParser().parse(text);
            int port = args.length > 1 ? Integer.parseInt(args[1])
                    : text.contains("|ORU^R01") ? DemoTenant.RESULTS_PORT : DemoTenant.ORDERS_PORT;
            var connection = hapi.newClient("127.0.0.1", port, false);
            try {
                Message ack = connection.getInitiator().sendAndReceive(message);
                System.out.println("sent " + Path.of(args[0]).getFileName() + " to mllp://127.0.0.1:" + port + ", ACK:");
                System.out.println(hapi.getPipeParser().encode(ack).replace('\r', '\n'));
            } finally {
                connection.close();
            }
        }
    }
}
