package dev.mailgateway.relay;

import dev.mailgateway.smtpd.SmtpdConsumer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Whether an MX host is this gateway: its name is our host name, or it is an address we take mail on at the port
 * we would deliver to (a listener of this Camel context, on that address or on all of them). Mail the gateway
 * would send to itself loops (RFC 5321 §5.1).
 */
final class SelfCheck {

    private final String hostname;
    private final CamelContext context;
    private final int mxPort;

    SelfCheck(String hostname, CamelContext context, int mxPort) {
        this.hostname = hostname.toLowerCase(Locale.ROOT);
        this.context = context;
        this.mxPort = mxPort;
    }

    boolean isMe(MxResolver.MxHost host) {
        if (host.name().equals(hostname)) {
            return true;
        }
        Set<InetAddress> mine = listeningAddresses();
        return host.addresses().stream().anyMatch(mine::contains);
    }

    /** Addresses a listener of ours takes mail on at the MX port (all local ones for a wildcard bind). */
    private Set<InetAddress> listeningAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof SmtpdConsumer consumer && consumer.getLocalAddress() != null) {
                InetSocketAddress bound = consumer.getLocalAddress();
                if (bound.getPort() != mxPort) {
                    continue;
                }
                if (bound.getAddress().isAnyLocalAddress()) {
                    addresses.addAll(localAddresses());
                } else {
                    addresses.add(bound.getAddress());
                }
            }
        }
        return addresses;
    }

    private static Set<InetAddress> localAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interface list: only the host name check remains
        }
        return addresses;
    }
}
