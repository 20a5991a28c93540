package dev.mailgateway.relay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Connections to next hops, kept between messages, and the places at each next hop: at most
 * {@code maxConnections} connections to one address at once (Postfix's per-destination concurrency limit), so that
 * a slow or tarpitting server can hold only that many delivery threads. A delivery waits for a place only
 * {@code placeWait}; when none frees up in that time the mail goes back to the queue for a little while instead
 * of holding its thread. Idle connections are reused while fresh; a reused one may turn out dead, and the
 * delivery then tries once more on a new one. Connections are said goodbye to (QUIT, a round trip) outside the
 * pool's locks, so one slow server never holds up the others' deliveries.
 */
final class ConnectionPool {

    private final RelaySettings settings;
    /** Places per address (host:port), whatever the TLS policy or credentials of the next hops that use it. */
    private final Map<String, Semaphore> places = new ConcurrentHashMap<>();
    private final Map<NextHop, Deque<OutboundConnection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private final DeliveryMetrics metrics;

    ConnectionPool(RelaySettings settings, DeliveryMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * A place at the next hop, waiting at most the place wait; then {@link #idle} or {@link #open}, and
     * {@link #release} when done.
     *
     * @return false when every place stayed taken
     */
    boolean acquire(NextHop hop) throws InterruptedException {
        return places(hop).tryAcquire(settings.placeWait().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A kept connection that is still fresh, or null. */
    OutboundConnection idle(NextHop hop) {
        Deque<OutboundConnection> kept = kept(hop);
        long limit = settings.idleTimeout().toNanos();
        while (true) {
            OutboundConnection c;
            synchronized (kept) {
                c = kept.pollFirst();
            }
            if (c == null) {
                return null;
            }
            if (c.stale()) {
                c.close();
            } else if (c.idleNanos() < limit) {
                return c;
            } else {
                c.quitQuietly();
            }
        }
    }

    OutboundConnection open(NextHop hop) throws RelayException {
        OutboundConnection connection = OutboundConnection.open(hop, settings);
        metrics.connectionOpened(connection.isTls());
        return connection;
    }

    /** Gives the place back; keeps the connection when it may serve another message. */
    void release(NextHop hop, OutboundConnection connection, boolean reusable) {
        if (connection != null) {
            if (reusable && connection.transactions() < settings.maxReuse() && !closed) {
                connection.idle();
                Deque<OutboundConnection> kept = kept(hop);
                synchronized (kept) {
                    kept.addFirst(connection);
                }
            } else if (reusable) {
                connection.quitQuietly();
            } else {
                connection.close();
            }
        }
        places(hop).release();
    }

    private Semaphore places(NextHop hop) {
        return places.computeIfAbsent(hop.address(), a -> new Semaphore(settings.maxConnections(), true));
    }

    private Deque<OutboundConnection> kept(NextHop hop) {
        return idle.computeIfAbsent(hop, h -> new ArrayDeque<>());
    }

    /** Closes idle connections older than the idle timeout. */
    void closeIdle(Duration olderThan) {
        List<OutboundConnection> old = new ArrayList<>();
        for (Deque<OutboundConnection> kept : idle.values()) {
            synchronized (kept) {
                kept.removeIf(c -> c.idleNanos() >= olderThan.toNanos() && old.add(c));
            }
        }
        old.forEach(OutboundConnection::quitQuietly);
    }

    /** On stop: every idle connection closed, and those still in use closed when their delivery ends. */
    void close() {
        closed = true;
        closeIdle(Duration.ZERO);
    }
}
