package dev.mailgateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetworkListTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void matchesIpv4AndIpv6Networks() throws Exception {
        NetworkList list = NetworkList.parse("127.0.0.0/8, ::1/128 10.1.2.0/23,192.0.2.7,[2001:db8::]/32");
        assertThat(list.contains(ip("127.9.9.9"))).isTrue();
        assertThat(list.contains(ip("::1"))).isTrue();
        assertThat(list.contains(ip("10.1.3.255"))).isTrue();
        assertThat(list.contains(ip("10.1.4.0"))).isFalse();
        assertThat(list.contains(ip("192.0.2.7"))).isTrue();
        assertThat(list.contains(ip("192.0.2.8"))).isFalse();
        assertThat(list.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(list.contains(ip("2001:db9::1"))).isFalse();
    }

    @Test
    void ipv4MappedIpv6AddressesMatchTheirIpv4Network() throws Exception {
        NetworkList list = NetworkList.parse("127.0.0.0/8");
        assertThat(list.contains(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1})))
                .isTrue();
    }

    @Test
    void emptyListMatchesNothing() throws Exception {
        assertThat(NetworkList.parse("").contains(ip("127.0.0.1"))).isFalse();
        assertThat(NetworkList.parse("0.0.0.0/0").contains(ip("203.0.113.1"))).isTrue();
    }

    @Test
    void refusesHostNamesAndBadPrefixes() {
        assertThatThrownBy(() -> NetworkList.parse("mail.example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetworkList.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetworkList.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
