package dev.mailgateway.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Warnings about a recurring trouble, at most one an interval per key: a DNS list or an engine that fails
 * does so for every client, and the log must stay readable. The next warning says how many were left out.
 */
public final class ThrottledWarnings {

    private record Last(long nanos, int leftOut) {
    }

    private final Logger log;
    private final long interval;
    private final Map<String, Last> last = new ConcurrentHashMap<>();

    public ThrottledWarnings(Logger log, Duration interval) {
        this.log = log;
        this.interval = interval.toNanos();
    }

    /** @param key what is in trouble and how (a list, an engine) */
    public void warn(String key, String format, Object... arguments) {
        long now = System.nanoTime();
        int[] leftOut = {-1};
        last.compute(key, (k, previous) -> {
            if (previous == null || now - previous.nanos() >= interval) {
                leftOut[0] = previous == null ? 0 : previous.leftOut();
                return new Last(now, 0);
            }
            return new Last(previous.nanos(), previous.leftOut() + 1);
        });
        if (leftOut[0] < 0) {
            return;
        }
        if (leftOut[0] == 0) {
            log.warn(format, arguments);
        } else {
            Object[] with = java.util.Arrays.copyOf(arguments, arguments.length + 1);
            with[arguments.length] = leftOut[0];
            log.warn(format + " ({} more like this since the last warning)", with);
        }
    }
}
