package dev.mailgateway.state;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The state policy blocks keep between sessions: rate counters, greylist triplets, recipient verification
 * results. In this process ({@link MemoryStore}, bounded, with expiry) or in Redis ({@link RedisStore}), where every
 * gateway on that Redis shares it. Each operation is one atomic step (one Lua script or one command in Redis) and
 * never blocks the caller: it completes later, within the store's timeout, or exceptionally when the store cannot
 * answer — the caller decides what a missing answer means (the policy blocks fail open). Times are the store's
 * {@link java.time.Clock}'s, also in Redis (where key expiry only frees memory), so gateways sharing a Redis should
 * keep their clocks in step. {@link PolicyStores#open} picks the store.
 */
public interface PolicyStore extends AutoCloseable {

    /**
     * Counts one event for {@code key} when the count over the last {@code window}, with it, stays within
     * {@code limit}; an event that would exceed it is refused and not counted (so a client that keeps trying
     * recovers when the window moves on). Sliding-window counter: the previous fixed window's count weighted by
     * how much of it still overlaps the sliding window, plus the current one's.
     */
    CompletionStage<RateDecision> take(String key, long limit, Duration window);

    /** Greylisting of one triplet (postgrey's rules); {@code network} is the client network, for auto-allow. */
    CompletionStage<GreylistDecision> greylist(String triplet, String network, GreylistRules rules);

    CompletionStage<Optional<String>> get(String key);

    CompletionStage<Void> put(String key, String value, Duration ttl);

    /**
     * Whether the store answers now, for the readiness check: completes with its answer (Redis: PONG, on the
     * gateway's own connection, so credentials and database count), or exceptionally within the store's timeout.
     */
    CompletionStage<String> ping();

    /** Where the state lives, for logs: "memory" or the Redis URI without credentials. */
    String describe();

    @Override
    void close();

    /** @param count the estimated count in the window (rounded up), with this event when it was allowed */
    record RateDecision(boolean allowed, long count) {
    }

    /**
     * @param delay      a triplet is accepted when retried at least this long after it was first seen
     * @param window     ... and at most this long after (later: seen anew)
     * @param autoAllow  a network whose triplets passed this many times is not greylisted any more (0: never)
     * @param remember   how long a passed triplet and an auto-allowed network are remembered (postgrey: 35 days)
     */
    record GreylistRules(Duration delay, Duration window, int autoAllow, Duration remember) {

        public GreylistRules {
            // (whole milliseconds: the stores count in them)
            if (delay.isNegative() || window.toMillis() < 1 || window.compareTo(delay) < 0
                    || remember.toMillis() < 1 || autoAllow < 0) {
                throw new IllegalArgumentException("greylisting needs 0 <= delay <= window, window and remember of"
                        + " 1 ms or more, autoAllow >= 0: " + delay + ", " + window + ", " + remember + ", "
                        + autoAllow);
            }
        }
    }

    enum GreylistDecision {
        /** First sight of the triplet (or seen again after the window): refused, and remembered from now. */
        NEW,
        /** Retried before the delay: refused; the first sight stays what it was. */
        TOO_EARLY,
        /** Retried after the delay and within the window: accepted, and the triplet remembered as passed. */
        RETRIED,
        /** A triplet that passed before: accepted. */
        KNOWN,
        /** The client network passed often enough to be exempt: accepted without looking at the triplet. */
        NETWORK_ALLOWED;

        public boolean accepted() {
            return this != NEW && this != TOO_EARLY;
        }
    }
}
