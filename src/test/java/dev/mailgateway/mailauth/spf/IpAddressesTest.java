package dev.mailgateway.mailauth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address forms of ip4:/ip6: and of the %{c} macro, beyond what the RFC 7208 suite tries. */
class IpAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "2001:DB8::cafe",
            "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "1:2:3:4:5:6:192.0.2.1", "1::192.0.2.1"})
    void ip6NetworksInTheirTextFormsAreRead(String text) throws Exception {
        assertThat(IpAddresses.parseIp6(text)).isEqualTo(InetAddress.getByName(text).getAddress().length == 16
                ? InetAddress.getByName(text).getAddress() : mapped(InetAddress.getByName(text).getAddress()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:8::", "12345::", "g::", "::192.0.2.01", "::192.0.2", "192.0.2.1::", "[::1]", "::1%eth0",
            "1:2:3:4:5:6:7:192.0.2.1"})
    void otherTextIsNoIp6Network(String text) {
        assertThat(IpAddresses.parseIp6(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1.2.3.-4", "1..3.4", " 1.2.3.4", "a.b.c.d"})
    void ip4NetworksAreFourOctetsWithoutLeadingZeros(String text) {
        assertThat(IpAddresses.parseIp4(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"2001:db8:0:0:0:0:0:1, 2001:db8::1", "2001:0db8:0:1:0:0:0:0, 2001:db8:0:1::",
            "0:0:0:0:0:0:0:0, ::", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "FE80:0:0:1:0:0:0:0, fe80:0:0:1::"})
    void theClientMacroWritesIpv6AsRfc5952Does(String address, String text) throws Exception {
        assertThat(IpAddresses.readable(InetAddress.getByName(address).getAddress())).isEqualTo(text);
    }

    private static byte[] mapped(byte[] ip4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xFF;
        bytes[11] = (byte) 0xFF;
        System.arraycopy(ip4, 0, bytes, 12, 4);
        return bytes;
    }
}
