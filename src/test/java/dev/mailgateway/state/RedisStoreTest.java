package dev.mailgateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.mailgateway.state.PolicyStore.GreylistDecision;
import dev.mailgateway.state.PolicyStore.GreylistRules;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.ManualClock;
import dev.mailgateway.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a real Redis, and what only Redis has: sharing, and Redis going away and coming back. */
class RedisStoreTest extends PolicyStoreContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** How long a failing operation may take for the tests, for a 1 s timeout on a loaded machine. */
    private static final long FAILS_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final AtomicInteger STORES = new AtomicInteger();

    private static RedisServer redis;
    private String prefix;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.running();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    /** Each test under its own prefix on the one Redis, so no test sees another's state. */
    @Override
    protected PolicyStore newStore(ManualClock clock) {
        prefix = "test" + STORES.incrementAndGet() + ":";
        return serving(new RedisStore(redis.uri(), prefix, TIMEOUT, clock));
    }

    @Test
    void twoGatewaysOnOneRedisShareCountersAndPasses() throws Exception {
        try (PolicyStore other = serving(new RedisStore(redis.uri(), prefix, TIMEOUT, clock))) {
            answer(store.take("client", 3, MINUTE));
            answer(other.take("client", 3, MINUTE));
            assertThat(answer(store.take("client", 3, MINUTE)).count()).isEqualTo(3);
            assertThat(answer(other.take("client", 3, MINUTE)).allowed()).isFalse();

            String triplet = "192.0.2.1/sender@example.org/rcpt@example.net";
            assertThat(answer(store.greylist(triplet, "192.0.2.0/24", POSTGREY))).isEqualTo(GreylistDecision.NEW);
            clock.advance(Duration.ofMinutes(5)); // the retry reaches the other gateway
            assertThat(answer(other.greylist(triplet, "192.0.2.0/24", POSTGREY))).isEqualTo(GreylistDecision.RETRIED);
            assertThat(answer(store.greylist(triplet, "192.0.2.0/24", POSTGREY))).isEqualTo(GreylistDecision.KNOWN);

            answer(other.put("rcpt@example.net", "250 ok", MINUTE));
            assertThat(answer(store.get("rcpt@example.net"))).contains("250 ok");
        }
    }

    @Test
    void gatewaysUnderAnotherPrefixShareNothing() throws Exception {
        try (PolicyStore other = serving(new RedisStore(redis.uri(), "other-" + prefix, TIMEOUT, clock))) {
            answer(store.take("client", 1, MINUTE));
            assertThat(answer(other.take("client", 1, MINUTE)).allowed()).isTrue();
            answer(store.put("key", "mine", MINUTE));
            assertThat(answer(other.get("key"))).isEmpty();
        }
    }

    @Test
    void everyKeyIsUnderThePrefixAndExpires() throws Exception {
        GreylistRules rules = new GreylistRules(Duration.ofMinutes(5), Duration.ofHours(4), 3, Duration.ofDays(35));
        answer(store.take("client", 10, MINUTE));
        answer(store.greylist("pending/a@example.org/b@example.net", "192.0.2.0/24", rules));
        answer(store.greylist("passed/a@example.org/b@example.net", "198.51.100.0/24", rules));
        clock.advance(Duration.ofMinutes(5));
        answer(store.greylist("passed/a@example.org/b@example.net", "198.51.100.0/24", rules));
        answer(store.put("rcpt@example.net", "250 ok", Duration.ofHours(1)));

        withRedis(redis.uri(), commands -> {
            List<String> keys = commands.keys(prefix + "*");
            assertThat(keys).containsExactlyInAnyOrder(
                    prefix + "rate:client:" + START.toEpochMilli() / MINUTE.toMillis(),
                    prefix + "grey:pending/a@example.org/b@example.net",
                    prefix + "grey:passed/a@example.org/b@example.net",
                    prefix + "net:198.51.100.0/24",
                    prefix + "kv:rcpt@example.net");
            assertTtl(commands, prefix + "rate:client:" + START.toEpochMilli() / MINUTE.toMillis(),
                    MINUTE.multipliedBy(2));
            assertTtl(commands, prefix + "grey:pending/a@example.org/b@example.net", Duration.ofHours(4));
            assertTtl(commands, prefix + "grey:passed/a@example.org/b@example.net", Duration.ofDays(35));
            assertTtl(commands, prefix + "net:198.51.100.0/24", Duration.ofDays(35));
            assertTtl(commands, prefix + "kv:rcpt@example.net", Duration.ofHours(1));
        });
    }

    @Test
    void scriptsRedisHasForgottenAreSentAgain() throws Exception {
        answer(store.take("client", 10, MINUTE));
        withRedis(redis.uri(), commands -> commands.scriptFlush()); // as after a restart
        assertThat(answer(store.take("client", 10, MINUTE)).count()).isEqualTo(2);
        assertThat(answer(store.greylist("a/b/c", "a", POSTGREY))).isEqualTo(GreylistDecision.NEW);
    }

    @Test
    void theStoreStartsWithoutRedisAndUsesItOnceItIsUp() throws Exception {
        try (RedisServer later = RedisServer.notStarted(); LogLines log = new LogLines(RedisStore.class.getName());
                PolicyStore waiting = new RedisStore(later.uri(), prefix, TIMEOUT, clock)) {
            assertFailsFast(List.of(waiting.take("client", 10, MINUTE)));
            await().atMost(Duration.ofSeconds(30)).until(() -> log.contains("is not reachable"));

            later.start();
            serving(waiting);
            assertThat(answer(waiting.take("client", 10, MINUTE)).allowed()).isTrue();
            assertThat(log.lines(Level.WARN)).hasSize(1);
        }
    }

    @Test
    void whileRedisIsDownOperationsFailFastAndAfterItIsBackTheyWork() throws Exception {
        try (RedisServer crashing = RedisServer.running(); LogLines log = new LogLines(RedisStore.class.getName());
                PolicyStore gateway = serving(new RedisStore(crashing.uri(), prefix, TIMEOUT, clock))) {
            String triplet = "192.0.2.1/sender@example.org/rcpt@example.net";
            assertThat(answer(gateway.greylist(triplet, "192.0.2.0/24", POSTGREY))).isEqualTo(GreylistDecision.NEW);

            crashing.stop();
            for (int round = 0; round < 3; round++) { // while reconnect attempts come and go
                assertFailsFast(everyOperation(gateway, 50));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> log.contains("is not reachable"));

            crashing.start(); // empty: no persistence, no scripts
            serving(gateway);
            clock.advance(Duration.ofMinutes(5));
            assertThat(answer(gateway.greylist(triplet, "192.0.2.0/24", POSTGREY)))
                    .as("the state went with that Redis").isEqualTo(GreylistDecision.NEW);
            assertThat(answer(gateway.take("client", 10, MINUTE)).allowed()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> log.contains("is back"));
            assertThat(log.lines(Level.WARN)).as("going away is told once, not per operation").hasSize(1);
            assertThat(log.lines(Level.INFO).stream().filter(line -> line.contains("is back"))).hasSize(1);
        }
    }

    @Test
    void aRedisThatStopsAnsweringTimesOperationsOut() throws Exception {
        try (RedisServer hanging = RedisServer.running();
                PolicyStore gateway = serving(new RedisStore(hanging.uri(), prefix, TIMEOUT, clock))) {
            hanging.pause();
            try {
                assertFailsFast(everyOperation(gateway, 50));
            } finally {
                hanging.resume();
            }
            serving(gateway);
            assertThat(answer(gateway.take("client", 10, MINUTE)).allowed()).isTrue();
        }
    }

    @Test
    void aPasswordInTheUriIsUsedAndNeverShown() throws Exception {
        try (RedisServer guarded = RedisServer.runningWithPassword("s3cret-pw");
                PolicyStore gateway = serving(new RedisStore(guarded.uri() + "/2", prefix, TIMEOUT, clock))) {
            assertThat(answer(gateway.take("client", 10, MINUTE)).allowed()).isTrue();
            assertThat(gateway.describe()).isEqualTo("redis://127.0.0.1:" + guarded.port() + "/2");
        }
        try (PolicyStore opened = PolicyStores.open("redis://:pw@127.0.0.1:" + redis.port(), TIMEOUT, clock)) {
            assertThat(opened).isInstanceOf(RedisStore.class);
            assertThat(opened.describe()).isEqualTo("redis://127.0.0.1:" + redis.port());
        }
    }

    /** Waits until the store answers (it connects in the background). */
    private static PolicyStore serving(PolicyStore store) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try {
                store.get("probe").toCompletableFuture().get(30, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException e) {
                return false;
            }
        });
        return store;
    }

    private static List<CompletionStage<?>> everyOperation(PolicyStore store, int times) {
        List<CompletionStage<?>> operations = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            operations.add(store.take("client" + i, 10, MINUTE));
            operations.add(store.greylist("a/b/" + i, "a", POSTGREY));
            operations.add(store.put("key" + i, "value", MINUTE));
            operations.add(store.get("key" + i));
        }
        return operations;
    }

    /** Each operation completes exceptionally, and soon: none hangs, none waits for Redis to come back. */
    private static void assertFailsFast(List<CompletionStage<?>> operations) {
        long start = System.nanoTime();
        for (CompletionStage<?> operation : operations) {
            long left = Math.max(0, start + FAILS_WITHIN_NANOS - System.nanoTime());
            assertThatThrownBy(() -> operation.toCompletableFuture().get(left, TimeUnit.NANOSECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        assertThat(CompletableFuture.allOf(operations.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new))).isCompletedExceptionally();
    }

    private static void assertTtl(RedisCommands<String, String> commands, String key, Duration expected) {
        assertThat(commands.pttl(key)).as(key).isPositive().isLessThanOrEqualTo(expected.toMillis());
    }

    private static void withRedis(String uri, Consumer<RedisCommands<String, String>> use) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            use.accept(connection.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
