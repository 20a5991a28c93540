package dev.mailgateway.smtpd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The budget of bytes in flight comes back to zero whatever the timing: waiters give up at any moment, also
 * while they are being granted their turn, and every byte granted is released exactly once.
 */
class MessageBudgetTest {

    private static final long LIMIT = 1000;

    @Test
    void budgetEndsAtZeroWhenWaitersGiveUpAtRandomMoments() throws Exception {
        MessageBudget budget = new MessageBudget(LIMIT);
        AtomicLong overLimit = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 5_000; i++) {
                        long size = random.nextLong(1, LIMIT * 3 / 2);
                        CompletableFuture<Boolean> turn = budget.acquire(size);
                        if (random.nextBoolean()) {
                            turn.completeOnTimeout(false, random.nextInt(2), TimeUnit.MILLISECONDS);
                        } else {
                            spin(random.nextInt(500));
                            turn.complete(false); // gives up now, unless the turn came first
                        }
                        if (turn.join()) {
                            if (budget.used() > LIMIT) {
                                overLimit.incrementAndGet();
                            }
                            spin(random.nextInt(200));
                            budget.release(size);
                        }
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(budget.used()).as("bytes still counted in flight").isZero();
        assertThat(overLimit).as("times the budget was over its limit").hasValue(0);
        assertThat(budget.acquire(LIMIT)).as("the whole budget is free again").isCompletedWithValue(true);
    }

    @Test
    void waiterThatGivesUpAtTheHeadLetsTheOnesBehindIn() {
        MessageBudget budget = new MessageBudget(LIMIT);
        assertThat(budget.acquire(600)).isCompletedWithValue(true);
        CompletableFuture<Boolean> large = budget.acquire(900);
        CompletableFuture<Boolean> small = budget.acquire(300);
        assertThat(small).as("first come, first served: it waits behind the large one").isNotDone();
        large.complete(false);
        assertThat(small).as("room for it once the large one left the queue").isCompletedWithValue(true);
        assertThat(budget.used()).isEqualTo(900);
    }

    private static void spin(int rounds) {
        for (int i = 0; i < rounds; i++) {
            Thread.onSpinWait();
        }
    }
}
