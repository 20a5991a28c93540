package dev.mailgateway.relay;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Next hops that keep failing to give us a session, as Postfix's queue manager marks a destination dead: after
 * {@code failures} connection attempts in a row that could not be used (refused, timed out, a 4xx/5xx greeting, a
 * failed handshake), the next hop is suspended for {@code time}. Mail for it is deferred at once with the last
 * reason ("delivery temporarily suspended"), instead of each message holding a delivery thread for another
 * timeout: a tarpit or a dead server costs a few attempts, not one per queued message. One success clears it.
 */
final class SuspendedHops {

    private record Record(int failures, long lastFailure, RemoteReply reason) {
    }

    private static final int MAX_HOPS = 100_000;

    private final int failures;
    private final long timeNanos;
    private final Map<String, Record> hops = new ConcurrentHashMap<>();

    SuspendedHops(int failures, Duration time) {
        this.failures = failures;
        this.timeNanos = time.toNanos();
    }

    void failed(NextHop hop, RemoteReply reason) {
        long now = System.nanoTime();
        if (hops.size() >= MAX_HOPS) {
            hops.values().removeIf(r -> now - r.lastFailure() > timeNanos);
        }
        hops.merge(hop.address(), new Record(1, now, reason),
                (old, one) -> new Record(old.failures() + 1, now, reason));
    }

    void succeeded(NextHop hop) {
        hops.remove(hop.address());
    }

    /** Why the next hop is suspended now, or empty when it may be tried. */
    Optional<RemoteReply> suspended(NextHop hop) {
        Record record = hops.get(hop.address());
        if (record == null || record.failures() < failures || System.nanoTime() - record.lastFailure() > timeNanos) {
            return Optional.empty();
        }
        RemoteReply reason = record.reason();
        return Optional.of(new RemoteReply(reason.code() >= 500 ? 421 : reason.code(),
                reason.code() >= 500 ? "4.4.1" : reason.dsnStatus(), "delivery temporarily suspended: " + reason.text()));
    }
}
