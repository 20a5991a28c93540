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
 * Connections to next hops, kept between messages: at most {@code maxConnections} per next hop in use at once
 * (a delivery waits for a place), idle ones reused while fresh. A reused connection may turn out dead; the
 * delivery then tries once more on a new one. Connections are said goodbye to (QUIT, a round trip) outside the
 * pool's locks, so one slow server never holds up the others' deliveries.
 */
final class ConnectionPool {

    private static final class Destination {
        final Semaphore places;
        final Deque<OutboundConnection> idle = new ArrayDeque<>();

        Destination(int places) {
            this.places = new Semaphore(places, true);
        }
    }

    private final RelaySettings settings;
    private final Map<NextHop, Destination> destinations = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ConnectionPool(RelaySettings settings) {
        this.settings = settings;
    }

    /** A place at the next hop; then {@link #idle} or {@link #open}, and {@link #release} when done. */
    void acquire(NextHop hop) throws RelayException {
        try {
            if (!destination(hop).places.tryAcquire(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RelayException(OutboundConnection.local(421, "4.4.5",
                        "every connection to " + hop + " stayed busy for " + settings.commandTimeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayException(OutboundConnection.local(421, "4.3.0", "interrupted while waiting for " + hop));
        }
    }

    /** A kept connection that is still fresh, or null. */
    OutboundConnection idle(NextHop hop) {
        Destination destination = destination(hop);
        long limit = settings.idleTimeout().toNanos();
        while (true) {
            OutboundConnection c;
            synchronized (destination) {
                c = destination.idle.pollFirst();
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
        return OutboundConnection.open(hop, settings);
    }

    /** Gives the place back; keeps the connection when it may serve another message. */
    void release(NextHop hop, OutboundConnection connection, boolean reusable) {
        Destination destination = destination(hop);
        if (connection != null) {
            if (reusable && connection.transactions() < settings.maxReuse() && !closed) {
                connection.idle();
                synchronized (destination) {
                    destination.idle.addFirst(connection);
                }
            } else if (reusable) {
                connection.quitQuietly();
            } else {
                connection.close();
            }
        }
        destination.places.release();
    }

    private Destination destination(NextHop hop) {
        return destinations.computeIfAbsent(hop, h -> new Destination(settings.maxConnections()));
    }

    /** Closes idle connections older than the idle timeout. */
    void closeIdle(Duration olderThan) {
        List<OutboundConnection> old = new ArrayList<>();
        for (Destination destination : destinations.values()) {
            synchronized (destination) {
                destination.idle.removeIf(c -> c.idleNanos() >= olderThan.toNanos() && old.add(c));
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
