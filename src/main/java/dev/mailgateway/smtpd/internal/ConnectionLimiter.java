package dev.mailgateway.smtpd.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open sessions, in all and per client. Trusted clients are not held to the per-client limit (Postfix
 * exempts mynetworks from smtpd_client_connection_count_limit too), only to the total. An IPv6 client counts per
 * /64: one host usually has a whole /64, and counted per address it could take every slot.
 */
final class ConnectionLimiter {

    enum Verdict { OK, TOO_MANY, TOO_MANY_FROM_CLIENT }

    private final int maxTotal;
    private final int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerClient) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** Counts the connection if it is within the limits; {@link #release} must follow an OK. */
    Verdict acquire(InetAddress client, boolean trusted) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Verdict.TOO_MANY;
        }
        if (perClient.merge(clientKey(client), 1, Integer::sum) > maxPerClient && !trusted) {
            release(client);
            return Verdict.TOO_MANY_FROM_CLIENT;
        }
        return Verdict.OK;
    }

    void release(InetAddress client) {
        total.decrementAndGet();
        perClient.computeIfPresent(clientKey(client), (c, count) -> count <= 1 ? null : count - 1);
    }

    int open() {
        return total.get();
    }

    /** The address for IPv4, the /64 network for IPv6. */
    private static InetAddress clientKey(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(client.getAddress(), 8), 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 16 bytes are an IPv6 address
        }
    }
}
