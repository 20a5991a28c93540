package dev.mailgateway.filter.engine;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * Reads spamd's configured {@code host:port} (an IPv6 address in brackets, {@code [::1]:783}), refusing with a
 * message that says what is wrong and how it should look.
 */
final class SpamdAddress {

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private SpamdAddress() {
    }

    /**
     * {@code host:port} as a socket address: an IP address as it is, a host name unresolved (resolved for each
     * connection).
     *
     * @throws IllegalArgumentException when it is not {@code host:port}, saying why
     */
    static InetSocketAddress parse(String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            throw new IllegalArgumentException("spamd address is missing: give host:port, e.g. 127.0.0.1:783");
        }
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("spamd address '" + hostPort
                        + "' is not [IPv6 address]:port, e.g. [::1]:783");
            }
            host = hostPort.substring(1, close);
            port = hostPort.substring(close + 2);
            if (!NetUtil.isValidIpV6Address(host)) {
                throw new IllegalArgumentException("spamd address '" + hostPort + "': '" + host
                        + "' in brackets is not an IPv6 address");
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("spamd address '" + hostPort + "' has no port: give host:port,"
                        + " e.g. 127.0.0.1:783");
            }
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("spamd address '" + hostPort + "': an IPv6 address goes in"
                        + " brackets, e.g. [::1]:783");
            }
            if (!NetUtil.isValidIpV4Address(host) && !HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("spamd address '" + hostPort + "': '" + host
                        + "' is neither an IP address nor a host name");
            }
        }
        int number = -1;
        if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            number = Integer.parseInt(port);
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("spamd address '" + hostPort + "': port '" + port
                    + "' is not a number from 1 to 65535");
        }
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(host);
        return ip != null ? new InetSocketAddress(ip, number) : InetSocketAddress.createUnresolved(host, number);
    }
}
