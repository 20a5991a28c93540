package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.Clients;
import java.net.InetAddress;
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
        if (perClient.merge(Clients.counted(client), 1, Integer::sum) > maxPerClient && !trusted) {
            release(client);
            return Verdict.TOO_MANY_FROM_CLIENT;
        }
        return Verdict.OK;
    }

    void release(InetAddress client) {
        total.decrementAndGet();
        perClient.computeIfPresent(Clients.counted(client), (c, count) -> count <= 1 ? null : count - 1);
    }

    int open() {
        return total.get();
    }
}
