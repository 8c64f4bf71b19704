package labops.platform.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP clients for calls to hospitals' endpoints. Their resolver is the outbound policy, so the addresses connected
 * to are exactly the ones it checked; redirects are not followed (a 3xx is the destination's answer, not a hop to an
 * address nobody checked at save) and nothing is retried behind the caller's back.
 */
public final class OutboundHttpClients {

    private OutboundHttpClients() {
    }

    /** A pooled client; {@code timeout} bounds the connect and each wait for the answer. */
    public static CloseableHttpClient create(OutboundAddressPolicy policy, Duration timeout) {
        Timeout limit = Timeout.of(timeout);
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new PolicyResolver(policy))
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit)
                        .build())
                .setMaxConnPerRoute(8)
                .setMaxConnTotal(200)
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    private record PolicyResolver(OutboundAddressPolicy policy) implements DnsResolver {

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return policy.resolve(host, port);
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return policy.resolve(host, -1).stream().map(InetSocketAddress::getAddress).toArray(InetAddress[]::new);
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return resolve(host)[0].getCanonicalHostName();
        }
    }
}
