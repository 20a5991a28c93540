package dev.mailgateway.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed AUTH attempts per client, in memory: after {@code maxFailures} within {@code window} of each other, the
 * client may not try again until the window has passed since its last failure. IPv6 clients count per /64, the
 * block one host usually has. The table is bounded: past {@link #MAX_CLIENTS} it first forgets expired entries.
 */
public final class AuthThrottle {

    static final int MAX_CLIENTS = 100_000;

    private record Failures(int count, long lastNanos) {
    }

    private final int maxFailures;
    private final long windowNanos;
    private final ConcurrentHashMap<String, Failures> clients = new ConcurrentHashMap<>();

    public AuthThrottle(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
    }

    public boolean isBlocked(InetAddress client) {
        Failures failures = clients.get(key(client));
        return failures != null && !expired(failures, System.nanoTime()) && failures.count() >= maxFailures;
    }

    /** Counts a failure; returns how many the client has now. */
    public int failed(InetAddress client) {
        long now = System.nanoTime();
        if (clients.size() >= MAX_CLIENTS) {
            clients.values().removeIf(f -> expired(f, now));
        }
        return clients.merge(key(client), new Failures(1, now),
                (old, one) -> new Failures(expired(old, now) ? 1 : old.count() + 1, now)).count();
    }

    private boolean expired(Failures failures, long now) {
        return now - failures.lastNanos() > windowNanos;
    }

    private static String key(InetAddress client) {
        byte[] bytes = client.getAddress();
        return client instanceof Inet6Address ? Arrays.toString(Arrays.copyOf(bytes, 8)) + "/64"
                : client.getHostAddress();
    }
}
