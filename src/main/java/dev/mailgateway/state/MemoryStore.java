package dev.mailgateway.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The state in this process: one bounded Caffeine cache (past {@code maxEntries} the least useful entries go first)
 * whose entries carry the time they expire at, by the store's clock. Each operation is one atomic {@code compute}
 * on one entry and completes before it returns.
 */
public final class MemoryStore implements PolicyStore {

    /** About 100-200 MB at most, for the counters and triplets of a busy gateway. */
    public static final long DEFAULT_MAX_ENTRIES = 1_000_000;

    /** Every entry knows when it stops counting, so a read never trusts the cache's own expiry timing. */
    private interface Entry {
        long expiresAt();
    }

    /** The counts of one rate key's current fixed window and the one before it. */
    private record Counter(long window, long current, long previous, long expiresAt) implements Entry {
    }

    /** A triplet seen first at {@code firstSeen}, or (passed) last accepted at {@code lastPass}. */
    private record Triplet(boolean passed, long firstSeen, long lastPass, long expiresAt) implements Entry {
    }

    private record NetworkPasses(long count, long expiresAt) implements Entry {
    }

    private record Value(String value, long expiresAt) implements Entry {
    }

    private final Clock clock;
    private final Cache<String, Entry> cache;

    public MemoryStore(Clock clock) {
        this(clock, DEFAULT_MAX_ENTRIES);
    }

    public MemoryStore(Clock clock, long maxEntries) {
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                // the cache's notion of time is the store's clock, so expired entries leave when the clock says so
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(Expiry.writing((String key, Entry entry) ->
                        Duration.ofMillis(Math.max(0, entry.expiresAt() - clock.millis()))))
                // evictions run on the calling thread: no dependence on the common pool, and tests see them at once
                .executor(Runnable::run)
                .build();
    }

    @Override
    public CompletionStage<RateDecision> take(String key, long limit, Duration window) {
        long windowMillis = PolicyStores.millis(window, "a rate window");
        long now = clock.millis();
        long index = now / windowMillis;
        RateDecision[] decision = new RateDecision[1];
        cache.asMap().compute("rate:" + key, (k, old) -> {
            Counter counter = live(old, now) instanceof Counter c ? c : null;
            long current = 0;
            long previous = 0;
            if (counter != null && counter.window() >= index) { // (>: the clock went back; keep what was counted)
                current = counter.current();
                previous = counter.previous();
            } else if (counter != null && counter.window() == index - 1) {
                previous = counter.current();
            }
            long weighted = RateWindow.weighted(previous, current, windowMillis, now % windowMillis);
            boolean allowed = RateWindow.allows(weighted, limit, windowMillis);
            decision[0] = new RateDecision(allowed, RateWindow.count(weighted + (allowed ? windowMillis : 0),
                    windowMillis));
            if (!allowed) {
                return counter;
            }
            long window0 = counter != null ? Math.max(counter.window(), index) : index;
            // the count matters until the end of the window after this one
            return new Counter(window0, current + 1, previous, (window0 + 2) * windowMillis);
        });
        return CompletableFuture.completedFuture(decision[0]);
    }

    @Override
    public CompletionStage<GreylistDecision> greylist(String triplet, String network, GreylistRules rules) {
        long now = clock.millis();
        if (rules.autoAllow() > 0 && live(cache.getIfPresent("net:" + network), now) instanceof NetworkPasses passes
                && passes.count() >= rules.autoAllow()) {
            return CompletableFuture.completedFuture(GreylistDecision.NETWORK_ALLOWED);
        }
        long delay = rules.delay().toMillis();
        long window = rules.window().toMillis();
        long remember = rules.remember().toMillis();
        GreylistDecision[] decision = new GreylistDecision[1];
        cache.asMap().compute("grey:" + triplet, (k, old) -> {
            Triplet seen = live(old, now) instanceof Triplet t ? t : null;
            if (seen != null && seen.passed()) {
                decision[0] = GreylistDecision.KNOWN;
                return new Triplet(true, seen.firstSeen(), now, now + remember);
            }
            if (seen != null && now - seen.firstSeen() < delay) {
                decision[0] = GreylistDecision.TOO_EARLY;
                return seen;
            }
            if (seen != null && now - seen.firstSeen() <= window) {
                decision[0] = GreylistDecision.RETRIED;
                return new Triplet(true, seen.firstSeen(), now, now + remember);
            }
            decision[0] = GreylistDecision.NEW;
            // kept one moment past the window, so that a retry at exactly the window's end still finds it
            return new Triplet(false, now, 0, now + window + 1);
        });
        // the count is only ever read with auto-allow on: no entry per network without it
        if (decision[0].accepted() && rules.autoAllow() > 0) {
            cache.asMap().compute("net:" + network, (k, old) -> {
                long count = live(old, now) instanceof NetworkPasses passes ? passes.count() : 0;
                return new NetworkPasses(count + 1, now + remember);
            });
        }
        return CompletableFuture.completedFuture(decision[0]);
    }

    @Override
    public CompletionStage<Optional<String>> get(String key) {
        Entry entry = live(cache.getIfPresent("kv:" + key), clock.millis());
        return CompletableFuture.completedFuture(
                entry instanceof Value v ? Optional.of(v.value()) : Optional.empty());
    }

    @Override
    public CompletionStage<Void> put(String key, String value, Duration ttl) {
        long ttlMillis = PolicyStores.millis(ttl, "a value's ttl");
        cache.put("kv:" + key, new Value(value, clock.millis() + ttlMillis));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<String> ping() {
        return CompletableFuture.completedFuture("in this process");
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }

    /** Entries held now (expired ones may still be counted until the cache gets to them), for tests. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private static Entry live(Entry entry, long now) {
        return entry == null || entry.expiresAt() <= now ? null : entry;
    }
}
