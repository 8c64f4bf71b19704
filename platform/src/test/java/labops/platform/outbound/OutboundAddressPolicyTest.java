package labops.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutboundAddressPolicyTest {

    private final OutboundAddressPolicy strict = new OutboundAddressPolicy(new OutboundProperties(List.of()));

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://127.0.0.1:9977/internal-admin       | 127.0.0.1 is a loopback address
            http://127.8.9.10/                         | is a loopback address
            http://[::1]:8090/                         | is a loopback address
            http://0.0.0.0:8101/                       | is the unspecified address
            http://169.254.169.254/latest/meta-data/   | 169.254.169.254 is a link-local address
            http://[fe80::1]/                          | is a link-local address
            http://10.1.2.3/results                    | 10.1.2.3 is a private address
            https://172.16.0.1/                        | is a private address
            https://192.168.1.20:8443/                 | is a private address
            http://[fd00:ec2::254]/                    | is a private address
            http://100.100.100.200/                    | is a shared (carrier-grade NAT) address
            http://224.0.0.1/                          | is a multicast address
            http://255.255.255.255/                    | is a reserved address
            http://[::ffff:127.0.0.1]/                 | is a loopback address
            http://[64:ff9b::a01:203]/                 | an IPv6 address embedding an IPv4 one
            http://localhost:8090/                     | localhost resolves to an address that is a loopback address
            """)
    void internalDestinationsAreRefusedAtSave(String url, String reason) {
        assertThat(strict.refusalOfUrl(url)).hasValueSatisfying(r -> assertThat(r).contains(reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://93.184.215.14/", "file:///etc/passwd", "http:///path", "not a url",
            "https://user:secret@93.184.215.14/"})
    void onlyPlainHttpUrlsWithAHostAndNoPasswordAreDestinations(String url) {
        assertThat(strict.refusalOfUrl(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/fhir", "http://8.8.8.8:8080/results", "https://[2606:4700::1111]/",
            // Unpublished names pass at save: the check at connect time refuses them if they turn out internal.
            "https://ehr.not-yet-published.invalid/results"})
    void publicAndUnresolvedDestinationsMayBeSaved(String url) {
        assertThat(strict.refusalOfUrl(url)).isEmpty();
    }

    @Test
    void mllpDestinationsAreCheckedTheSameWay() {
        assertThat(strict.refusalOfHostPort("127.0.0.1:2575")).hasValue(
                "127.0.0.1 is a loopback address; Lab Ops does not call internal addresses");
        assertThat(strict.refusalOfHostPort("[::1]:2575")).isPresent();
        assertThat(strict.refusalOfHostPort("93.184.215.14:2575")).isEmpty();
        assertThat(strict.refusalOfHostPort("93.184.215.14")).hasValue("must be host:port");
        assertThat(strict.refusalOfHostPort("93.184.215.14:99999")).hasValue("port must be between 1 and 65535");
    }

    @Test
    void theAllowListAdmitsExactlyWhatItNames() throws Exception {
        var local = new OutboundAddressPolicy(new OutboundProperties(
                List.of("127.0.0.1:8200", "10.20.0.0/16", "[::1]:8300")));
        assertThat(local.refusalOfUrl("http://127.0.0.1:8200/results")).isEmpty();
        assertThat(local.refusalOfUrl("http://127.0.0.1:8201/results")).isPresent();
        assertThat(local.refusalOfUrl("http://127.0.0.2:8200/results")).isPresent();
        assertThat(local.refusalOfUrl("https://10.20.30.40/fhir")).isEmpty();
        assertThat(local.refusalOfUrl("https://10.21.0.1/fhir")).isPresent();
        assertThat(local.refusalOfUrl("http://[::1]:8300/fhir")).isEmpty();
        assertThat(local.resolve("127.0.0.1", 8200)).singleElement()
                .satisfies(a -> assertThat(a.getPort()).isEqualTo(8200));
        // A port-bound entry does not admit a call whose port is unknown.
        assertThatThrownBy(() -> local.resolve("127.0.0.1", -1)).isInstanceOf(OutboundAddressRefusedException.class);
    }

    @Test
    void aRefusalAtConnectTimeNamesTheKindButNeverWhatAPrivateNameResolvedTo() {
        assertThatThrownBy(() -> strict.resolve("localhost", 443))
                .isInstanceOf(OutboundAddressRefusedException.class)
                .hasMessage("localhost resolves to an address that is a loopback address; "
                        + "Lab Ops does not call internal addresses")
                .hasMessageNotContaining("127.0.0.1");
    }
}
