package dev.mailgateway.state;

import java.time.Clock;
import java.time.Duration;

/** Opens the store the configuration names. */
public final class PolicyStores {

    private PolicyStores() {
    }

    /** @return a {@link MemoryStore} of the default size (Redis comes next) */
    public static PolicyStore open(String redisUri, Duration timeout, Clock clock) {
        if (redisUri == null || redisUri.isBlank()) {
            return new MemoryStore(clock);
        }
        throw new IllegalArgumentException("no Redis store yet");
    }

    /** The stores count in whole milliseconds: a duration of less than one is a mistake, not "no time". */
    static long millis(Duration duration, String what) {
        long millis = duration.toMillis();
        if (millis < 1) {
            throw new IllegalArgumentException(what + " needs at least a millisecond: " + duration);
        }
        return millis;
    }
}
