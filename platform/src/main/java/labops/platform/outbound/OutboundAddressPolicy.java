package labops.platform.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The one answer to "may Lab Ops call this address?", for every outbound call (result delivery of every kind,
 * pulling FHIR data, SMART discovery and token calls). A tenant admin types the destination, so without it any
 * internal address — loopback services, the schema registry, a cloud metadata endpoint — would receive signed patient
 * data, and the attempt outcomes would map the internal network.
 *
 * <p>Refused: loopback, unspecified, link-local (cloud metadata lives there), private and shared (carrier-grade NAT)
 * ranges, unique-local IPv6, multicast, reserved ranges and IPv6 forms that embed an IPv4 address; unless
 * {@link OutboundProperties#allowed()} names the address (and port). The check runs where it counts, at connect
 * time on the addresses actually connected to ({@link #resolve}, which HTTP clients use as their resolver), so a name
 * that resolves to a public address when saved and to 127.0.0.1 later (DNS rebinding) is refused then. Saving a
 * destination is checked as well ({@link #refusalOfUrl}, {@link #refusalOfHostPort}) to give the admin a clear
 * answer at once; a name that does not resolve yet is accepted there, since the connect-time check guards it.
 */
public final class OutboundAddressPolicy {

    private static final Map<String, Predicate<InetAddress>> REFUSED = refusedRanges();

    private final List<Allowed> allowed;

    public OutboundAddressPolicy(OutboundProperties properties) {
        this.allowed = properties.allowed().stream().map(Allowed::parse).toList();
    }

    /**
     * Every address {@code host} resolves to, paired with {@code port}; refused as a whole when any one of them is
     * refused (so that no resolver answer mixing a public and an internal address gets through).
     *
     * @param port the port to be connected, or -1 when unknown (then only allow-list entries without a port admit
     *             an internal address)
     */
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        List<InetSocketAddress> result = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            Optional<String> refusal = refusal(address, port);
            if (refusal.isPresent()) {
                throw new OutboundAddressRefusedException(describe(host, address) + " " + refusal.get()
                        + "; Lab Ops does not call internal addresses");
            }
            result.add(new InetSocketAddress(address, Math.max(port, 0)));
        }
        return result;
    }

    /** Why an http(s) destination URL may not be saved, or empty when it may. */
    public Optional<String> refusalOfUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getHost() == null) {
            return Optional.of("names no host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry a user name or password; store the credential separately");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return refusalOf(uri.getHost(), port);
    }

    /** Why a {@code host:port} destination (MLLP) may not be saved, or empty when it may. */
    public Optional<String> refusalOfHostPort(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            return Optional.of("must be host:port");
        }
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.of("must be host:port");
        }
        if (port < 1 || port > 65535) {
            return Optional.of("port must be between 1 and 65535");
        }
        String host = hostAndPort.substring(0, colon);
        return refusalOf(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host, port);
    }

    private Optional<String> refusalOf(String host, int port) {
        try {
            resolve(host, port);
            return Optional.empty();
        } catch (OutboundAddressRefusedException e) {
            return Optional.of(e.reason());
        } catch (UnknownHostException e) {
            // Checked again at every connect; a name the hospital has yet to publish is not an error today.
            return Optional.empty();
        }
    }

    /** The kind of internal address {@code address} is, unless the allow-list admits it on {@code port}. */
    Optional<String> refusal(InetAddress address, int port) {
        for (var range : REFUSED.entrySet()) {
            if (range.getValue().test(address)) {
                return allowed.stream().anyMatch(a -> a.admits(address, port)) ? Optional.empty()
                        : Optional.of("is " + range.getKey());
            }
        }
        return Optional.empty();
    }

    private static String describe(String host, InetAddress address) {
        String literal = address.getHostAddress();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        // Never echo what a private name resolved to: that would answer questions about internal DNS.
        return bare.equalsIgnoreCase(literal) || isLiteral(bare) ? bare : bare + " resolves to an address that";
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static Map<String, Predicate<InetAddress>> refusedRanges() {
        var ranges = new java.util.LinkedHashMap<String, Predicate<InetAddress>>();
        ranges.put("a loopback address", InetAddress::isLoopbackAddress);
        ranges.put("the unspecified address", in("0.0.0.0/8").or(InetAddress::isAnyLocalAddress));
        ranges.put("a link-local address (where cloud metadata services live)", InetAddress::isLinkLocalAddress);
        ranges.put("a private address", in("fc00::/7").or(InetAddress::isSiteLocalAddress));
        ranges.put("a shared (carrier-grade NAT) address", in("100.64.0.0/10"));
        ranges.put("a multicast address", InetAddress::isMulticastAddress);
        ranges.put("a reserved address", in("192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4"));
        Predicate<InetAddress> ipv6 = Inet6Address.class::isInstance;
        ranges.put("an IPv6 address embedding an IPv4 one", ipv6.and(in("::/96", "64:ff9b::/96", "2002::/16")));
        return java.util.Collections.unmodifiableMap(ranges);
    }

    private static Predicate<InetAddress> in(String... cidrs) {
        List<IpAddressMatcher> matchers = java.util.Arrays.stream(cidrs).map(IpAddressMatcher::new).toList();
        return address -> matchers.stream().anyMatch(m -> m.matches(address.getHostAddress()));
    }

    /** An allow-list entry: an address or CIDR block, and a port or any (-1). */
    private record Allowed(IpAddressMatcher network, int port) {

        static Allowed parse(String entry) {
            String value = entry.strip();
            String network = value;
            int port = -1;
            if (value.startsWith("[")) {
                int close = value.indexOf(']');
                network = value.substring(1, close);
                port = close + 1 < value.length() ? Integer.parseInt(value.substring(close + 2)) : -1;
            } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
                network = value.substring(0, value.indexOf(':'));
                port = Integer.parseInt(value.substring(value.indexOf(':') + 1));
            }
            return new Allowed(new IpAddressMatcher(network), port);
        }

        boolean admits(InetAddress address, int port) {
            return network.matches(address.getHostAddress()) && (this.port == -1 || this.port == port);
        }
    }
}
