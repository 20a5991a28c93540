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
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Whether an MX host is this gateway: its name is our host name, or it is an address we take mail on at the port
 * we would deliver to (a listener of this Camel context, on that address or on all of them). Mail the gateway
 * would send to itself loops (RFC 5321 §5.1).
 */
final class SelfCheck {

    /** How long the interface list is trusted: addresses change rarely, and listing them costs a system call each. */
    private static final long INTERFACES_TTL_NANOS = 60_000_000_000L;

    private final String hostname;
    private final CamelContext context;
    private final int mxPort;
    private volatile Set<InetAddress> interfaces;
    private volatile long interfacesListedAt;

    SelfCheck(String hostname, CamelContext context, int mxPort) {
        this.hostname = hostname.toLowerCase(Locale.ROOT);
        this.context = context;
        this.mxPort = mxPort;
    }

    /** The MX hosts of one answer that are this gateway. */
    Predicate<MxResolver.MxHost> among() {
        Set<InetAddress> mine = listeningAddresses();
        return host -> host.name().equals(hostname) || host.addresses().stream().anyMatch(mine::contains);
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
                    addresses.addAll(interfaceAddresses());
                } else {
                    addresses.add(bound.getAddress());
                }
            }
        }
        return addresses;
    }

    private Set<InetAddress> interfaceAddresses() {
        long now = System.nanoTime();
        Set<InetAddress> listed = interfaces;
        if (listed == null || now - interfacesListedAt > INTERFACES_TTL_NANOS) {
            listed = listInterfaces();
            interfaces = listed;
            interfacesListedAt = now;
        }
        return listed;
    }

    private static Set<InetAddress> listInterfaces() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interface list: only the host name check remains
        }
        return Set.copyOf(addresses);
    }
}
