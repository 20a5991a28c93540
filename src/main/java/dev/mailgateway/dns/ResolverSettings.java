package dev.mailgateway.dns;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;

/** The dnsjava resolver that {@code gateway.dns.server} and {@code gateway.dns.timeout} describe. */
final class ResolverSettings {

    private ResolverSettings() {
    }

    /**
     * @param server blank: the system's resolvers (/etc/resolv.conf); else {@code host[:port]}, {@code [IPv6]:port}
     * @throws IllegalArgumentException when the server is not {@code host[:port]} or its host name does not resolve
     */
    static Resolver resolver(String server, Duration timeout) {
        if (server == null || server.isBlank()) {
            return system(timeout);
        }
        InetSocketAddress address = parse(server);
        try {
            SimpleResolver simple = new SimpleResolver(address.getHostString());
            simple.setPort(address.getPort());
            simple.setTimeout(timeout);
            return simple;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("DNS server " + server + ": unknown host", e);
        }
    }

    /**
     * Each system resolver gets its share of the timeout, so that one that does not answer leaves time to ask the
     * next within the one timeout a query has (dnsjava's default gives the first one all of it).
     */
    private static Resolver system(Duration timeout) {
        List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
        Duration each = timeout.dividedBy(Math.max(1, servers.size()));
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(each);
            resolvers.add(simple);
        }
        ExtendedResolver extended = new ExtendedResolver(resolvers);
        extended.setRetries(1);
        extended.setTimeout(timeout);
        return extended;
    }

    /** {@code host}, {@code host:port}, {@code [host]:port}; an IPv6 address without brackets has no port. */
    static InetSocketAddress parse(String server) {
        String text = server.strip();
        String host = text;
        int port = 53;
        try {
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("not a host[:port]: " + server);
                }
                host = text.substring(1, close);
                if (close + 1 < text.length()) {
                    if (text.charAt(close + 1) != ':') {
                        throw new IllegalArgumentException("not a host[:port]: " + server);
                    }
                    port = Integer.parseInt(text.substring(close + 2));
                }
            } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                host = text.substring(0, text.indexOf(':'));
                port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a host[:port]: " + server);
        }
        if (host.isEmpty() || port <= 0 || port > 65535) {
            throw new IllegalArgumentException("not a host[:port]: " + server);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
