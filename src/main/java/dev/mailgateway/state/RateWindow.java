package dev.mailgateway.state;

/**
 * The sliding-window estimate both stores use (take.lua has the same arithmetic): fixed windows of {@code window}
 * milliseconds from the epoch; {@code elapsed} milliseconds into the current one, the estimate over the last
 * {@code window} is {@code previous × (window − elapsed) / window + current}. Kept multiplied by {@code window}, so
 * that every comparison is exact integer arithmetic (a float estimate would make "the limit exactly" depend on
 * rounding, differently in Java and in Lua).
 */
final class RateWindow {

    private RateWindow() {
    }

    /** The estimate, times {@code window}. */
    static long weighted(long previous, long current, long window, long elapsed) {
        return previous * (window - elapsed) + current * window;
    }

    /** Whether one more event keeps the estimate within the limit. */
    static boolean allows(long weighted, long limit, long window) {
        long max = limit > Long.MAX_VALUE / window ? Long.MAX_VALUE : limit * window; // a huge limit: no overflow
        return weighted + window <= max;
    }

    /** The estimate as a count, rounded up. */
    static long count(long weighted, long window) {
        return (weighted + window - 1) / window;
    }
}
