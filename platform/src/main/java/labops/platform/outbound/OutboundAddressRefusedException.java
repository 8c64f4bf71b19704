package labops.platform.outbound;

import java.net.UnknownHostException;

/**
 * A destination's host resolves to an address the outbound policy refuses. An {@link UnknownHostException} because
 * that is what name resolution may throw (HTTP clients call the policy as their resolver), and because to the caller
 * it means the same: there is nothing Lab Ops will connect to. The message names the kind of address, never the
 * address a private name resolved to.
 */
public class OutboundAddressRefusedException extends UnknownHostException {

    private final String reason;

    OutboundAddressRefusedException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /** E.g. "127.0.0.1 is a loopback address", "ehr.example resolves to a private address". */
    public String reason() {
        return reason;
    }
}
