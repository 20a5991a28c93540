package dev.mailgateway.policy.block;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A check that could not be made (the state store away, a lookup failed) lets the mail through: refusing it would
 * turn an outage of a helper into an outage of mail. Each time is counted; the log says so at most once a minute,
 * with how many since, so an outage shows without flooding the log.
 */
public final class FailOpen {

    private static final Logger LOG = LoggerFactory.getLogger(FailOpen.class);
    private static final long QUIET_NANOS = 60_000_000_000L;

    private final String block;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - QUIET_NANOS);
    private final AtomicLong sinceLogged = new AtomicLong();

    public FailOpen(String block) {
        this.block = block;
    }

    /** Counts one check let through; returns the result that says so. */
    public BlockResult passed(Throwable why) {
        count.incrementAndGet();
        long unlogged = sinceLogged.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= QUIET_NANOS && lastLogged.compareAndSet(last, now)) {
            sinceLogged.addAndGet(-unlogged);
            LOG.warn("{}: check not made, mail let through ({} time(s) in the last minute): {}", block, unlogged,
                    why instanceof java.util.concurrent.CompletionException && why.getCause() != null
                            ? why.getCause().toString() : String.valueOf(why));
        }
        return BlockResult.noted(block.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_UNAVAILABLE");
    }

    /** Checks let through since start. */
    public long count() {
        return count.get();
    }
}
