package dev.mailgateway.policy.lists;

import dev.mailgateway.mail.DomainNames;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/** What goes in front of a list's domain in a query: a client's reversed address, or a domain (RHSBL). */
final class QueryNames {

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9_-]{1,63}(\\.[a-z0-9_-]{1,63})*");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private QueryNames() {
    }

    /**
     * IPv4: the octets reversed ({@code 192.0.2.1} → {@code 1.2.0.192}); IPv6: the 32 nibbles reversed (RFC 5782
     * §2.4); an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) as the IPv4 address it carries, as lists
     * know it by that.
     */
    static String client(InetAddress client) {
        byte[] bytes = client.getAddress();
        if (client instanceof Inet6Address && isIpv4Mapped(bytes)) {
            bytes = java.util.Arrays.copyOfRange(bytes, 12, 16);
        }
        StringBuilder name = new StringBuilder(64);
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (name.length() > 0) {
                name.append('.');
            }
            int b = bytes[i] & 0xFF;
            if (bytes.length == 4) {
                name.append(b);
            } else {
                name.append(HEX[b & 0xF]).append('.').append(HEX[b >> 4]);
            }
        }
        return name.toString();
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
    }

    /**
     * A domain as a list is asked about it: lower case, internationalized names in ASCII, without the final dot;
     * {@code null} for what is not a domain name a list could hold (empty, an address literal or a bare address,
     * characters no host name has), which then scores nothing.
     */
    static String domain(String domain) {
        if (domain == null) {
            return null;
        }
        String text = domain.strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty() || text.startsWith("[") || NetUtil.isValidIpV4Address(text)
                || NetUtil.isValidIpV6Address(text)) {
            return null;
        }
        String key = DomainNames.key(text);
        return DOMAIN.matcher(key).matches() ? key : null;
    }
}
