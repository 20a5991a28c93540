package dev.mailgateway.state;

import java.time.Clock;
import java.time.Duration;

/** Opens the store the configuration names. */
public final class PolicyStores {

    /** How long a Redis operation may take: a policy check waits no longer for its state. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private PolicyStores() {
    }

    /**
     * @param redisUri {@code redis://[:password@]host:port[/db]}, or blank for the memory store
     * @param timeout  how long a Redis operation may take before it completes exceptionally
     * @return a {@link MemoryStore} of the default size, or a {@link RedisStore} under the default prefix (it
     *         connects in the background: Redis need not be up yet)
     */
    public static PolicyStore open(String redisUri, Duration timeout, Clock clock) {
        if (redisUri == null || redisUri.isBlank()) {
            return new MemoryStore(clock);
        }
        return new RedisStore(redisUri.strip(), RedisStore.DEFAULT_PREFIX, timeout, clock);
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
