package dev.mailgateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryStoreTest extends PolicyStoreContract {

    @Override
    protected PolicyStore newStore(ManualClock clock) {
        return new MemoryStore(clock);
    }

    @Test
    void operationsCompleteBeforeTheyReturn() {
        assertThat(store.take("client", 1, MINUTE).toCompletableFuture()).isDone();
        assertThat(store.greylist("a/b/c", "a", POSTGREY).toCompletableFuture()).isDone();
        assertThat(store.put("key", "value", MINUTE).toCompletableFuture()).isDone();
        assertThat(store.get("key").toCompletableFuture()).isDone();
        assertThat(store.describe()).isEqualTo("memory");
    }

    @Test
    void holdsNoMoreThanItsMaximum() throws Exception {
        try (MemoryStore small = new MemoryStore(clock, 100)) {
            for (int i = 0; i < 1_000; i++) {
                answer(small.put("key" + i, "value", Duration.ofDays(1)));
                answer(small.take("client" + i, 10, MINUTE));
            }
            assertThat(small.size()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void expiredEntriesLeaveTheCache() throws Exception {
        try (MemoryStore memory = new MemoryStore(clock)) {
            for (int i = 0; i < 100; i++) {
                answer(memory.put("key" + i, "value", MINUTE));
            }
            assertThat(memory.size()).isEqualTo(100);
            clock.advance(MINUTE);
            assertThat(memory.size()).isZero();
        }
    }

    @Test
    void windowsAndTtlsOfLessThanAMillisecondAreMistakes() {
        assertThatThrownBy(() -> store.take("client", 1, Duration.ofNanos(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("key", "value", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolicyStore.GreylistRules(MINUTE, Duration.ofSeconds(1), 0, MINUTE))
                .as("a window shorter than the delay").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlankRedisUriMeansMemory() {
        try (PolicyStore opened = PolicyStores.open(" ", Duration.ofSeconds(1), Clock.systemUTC())) {
            assertThat(opened).isInstanceOf(MemoryStore.class);
        }
        try (PolicyStore opened = PolicyStores.open(null, Duration.ofSeconds(1), Clock.systemUTC())) {
            assertThat(opened).isInstanceOf(MemoryStore.class);
        }
    }
}
