package dev.mailgateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.state.PolicyStore.GreylistDecision;
import dev.mailgateway.state.PolicyStore.GreylistRules;
import dev.mailgateway.state.PolicyStore.RateDecision;
import dev.mailgateway.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PolicyStore} does, by a clock the test moves: {@link MemoryStoreTest} and {@link RedisStoreTest}
 * run it against each store.
 */
abstract class PolicyStoreContract {

    /** A window boundary for every window these tests use (minutes, hours, days). */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final GreylistRules POSTGREY =
            new GreylistRules(Duration.ofMinutes(5), Duration.ofDays(2), 0, Duration.ofDays(35));

    protected final ManualClock clock = new ManualClock(START);
    protected PolicyStore store;

    /** A new store on the test's clock, whose state no other test sees. */
    protected abstract PolicyStore newStore(ManualClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void rateLimitAllowsTheLimitAndRefusesTheNext() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(answer(store.take("client", 3, MINUTE))).isEqualTo(new RateDecision(true, i));
        }
        assertThat(answer(store.take("client", 3, MINUTE))).isEqualTo(new RateDecision(false, 3));
        assertThat(answer(store.take("other", 3, MINUTE)).allowed()).as("another key counts apart").isTrue();
    }

    @Test
    void refusedEventsAreNotCounted() throws Exception {
        for (int i = 0; i < 3; i++) {
            answer(store.take("client", 3, MINUTE));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(answer(store.take("client", 3, MINUTE)).allowed()).isFalse();
        }
        // half way through the next window, half of the previous window's 3 still count: 1.5, so one more fits
        // (had the 20 refusals counted, 11.5 would)
        clock.advance(Duration.ofSeconds(90));
        assertThat(answer(store.take("client", 3, MINUTE))).isEqualTo(new RateDecision(true, 3));
        assertThat(answer(store.take("client", 3, MINUTE))).isEqualTo(new RateDecision(false, 3));
    }

    @Test
    void theLimitRecoversWhenTheWindowMovesOn() throws Exception {
        for (int i = 0; i < 5; i++) {
            answer(store.take("client", 5, MINUTE));
        }
        assertThat(answer(store.take("client", 5, MINUTE)).allowed()).isFalse();
        clock.advance(Duration.ofMinutes(2)); // a whole window later, nothing of the full one counts any more
        for (int i = 1; i <= 5; i++) {
            assertThat(answer(store.take("client", 5, MINUTE))).isEqualTo(new RateDecision(true, i));
        }
        assertThat(answer(store.take("client", 5, MINUTE)).allowed()).isFalse();
    }

    @Test
    void noDoubleBurstAcrossAWindowBoundary() throws Exception {
        clock.advance(Duration.ofSeconds(59)); // the last second of a fixed window
        for (int i = 0; i < 10; i++) {
            assertThat(answer(store.take("client", 10, MINUTE)).allowed()).isTrue();
        }
        clock.advance(Duration.ofSeconds(2)); // 1 s into the next one: 59/60 of the 10 still count
        RateDecision justAfter = answer(store.take("client", 10, MINUTE));
        assertThat(justAfter).as("a fixed-window counter would allow 10 more here")
                .isEqualTo(new RateDecision(false, 10));
        clock.advance(Duration.ofSeconds(5)); // 6 s in: 9 still count, room for exactly one
        assertThat(answer(store.take("client", 10, MINUTE))).isEqualTo(new RateDecision(true, 10));
        assertThat(answer(store.take("client", 10, MINUTE)).allowed()).isFalse();
        clock.advance(Duration.ofSeconds(30)); // 36 s in: 4 of the previous and the 1 of this window
        assertThat(answer(store.take("client", 10, MINUTE))).isEqualTo(new RateDecision(true, 6));
    }

    @Test
    void greylistRefusesATripletUntilItIsRetriedAfterTheDelay() throws Exception {
        String triplet = "192.0.2.1/sender@example.org/rcpt@example.net";
        assertThat(greylist(triplet, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.NEW);
        clock.advance(Duration.ofMinutes(4));
        assertThat(greylist(triplet, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.TOO_EARLY);
        clock.advance(Duration.ofSeconds(59)); // 4:59 after the first sight, which the early retries did not move
        assertThat(greylist(triplet, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.TOO_EARLY);
        clock.advance(Duration.ofSeconds(1));
        assertThat(greylist(triplet, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.RETRIED);
        clock.advance(Duration.ofDays(1));
        assertThat(greylist(triplet, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.KNOWN);
        assertThat(greylist("192.0.2.1/sender@example.org/other@example.net", "192.0.2.0/24", POSTGREY))
                .as("another triplet").isEqualTo(GreylistDecision.NEW);
        assertThat(GreylistDecision.NEW.accepted()).isFalse();
        assertThat(GreylistDecision.TOO_EARLY.accepted()).isFalse();
        assertThat(GreylistDecision.RETRIED.accepted()).isTrue();
    }

    @Test
    void aTripletRetriedOnlyAfterTheWindowIsSeenAnew() throws Exception {
        String triplet = "192.0.2.1/late@example.org/rcpt@example.net";
        assertThat(greylist(triplet, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.NEW);
        clock.advance(Duration.ofDays(2)); // the window's last moment still counts
        assertThat(greylist(triplet, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.RETRIED);

        String late = "192.0.2.1/later@example.org/rcpt@example.net";
        assertThat(greylist(late, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.NEW);
        clock.advance(Duration.ofDays(2).plusSeconds(1));
        assertThat(greylist(late, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.NEW);
        clock.advance(Duration.ofMinutes(4)); // first sight is now the second one: too early, not seen anew
        assertThat(greylist(late, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.TOO_EARLY);
        clock.advance(Duration.ofMinutes(1));
        assertThat(greylist(late, "192.0.2.0/24", POSTGREY)).isEqualTo(GreylistDecision.RETRIED);
    }

    @Test
    void aPassedTripletIsRememberedFromItsLastSight() throws Exception {
        GreylistRules rules = new GreylistRules(Duration.ofMinutes(5), Duration.ofDays(2), 0, Duration.ofDays(10));
        String triplet = "192.0.2.1/sender@example.org/rcpt@example.net";
        greylist(triplet, "192.0.2.0/24", rules);
        clock.advance(Duration.ofMinutes(5));
        assertThat(greylist(triplet, "192.0.2.0/24", rules)).isEqualTo(GreylistDecision.RETRIED);
        clock.advance(Duration.ofDays(9));
        assertThat(greylist(triplet, "192.0.2.0/24", rules)).isEqualTo(GreylistDecision.KNOWN);
        clock.advance(Duration.ofDays(9)); // 18 days after passing, 9 after it was last seen
        assertThat(greylist(triplet, "192.0.2.0/24", rules)).isEqualTo(GreylistDecision.KNOWN);
        clock.advance(Duration.ofDays(10));
        assertThat(greylist(triplet, "192.0.2.0/24", rules)).as("forgotten").isEqualTo(GreylistDecision.NEW);
    }

    @Test
    void aNetworkIsAllowedAfterEnoughPasses() throws Exception {
        GreylistRules rules = new GreylistRules(Duration.ofMinutes(5), Duration.ofDays(2), 2, Duration.ofDays(35));
        String network = "198.51.100.0/24";
        String first = "198.51.100.7/a@example.org/rcpt@example.net";
        greylist(first, network, rules);
        clock.advance(Duration.ofMinutes(5));
        assertThat(greylist(first, network, rules)).isEqualTo(GreylistDecision.RETRIED); // pass 1
        assertThat(greylist("198.51.100.8/b@example.org/rcpt@example.net", network, rules))
                .isEqualTo(GreylistDecision.NEW);
        assertThat(greylist(first, network, rules)).isEqualTo(GreylistDecision.KNOWN); // pass 2

        assertThat(greylist("198.51.100.9/c@example.org/rcpt@example.net", network, rules))
                .isEqualTo(GreylistDecision.NETWORK_ALLOWED);
        assertThat(GreylistDecision.NETWORK_ALLOWED.accepted()).isTrue();
        assertThat(greylist("203.0.113.9/c@example.org/rcpt@example.net", "203.0.113.0/24", rules))
                .as("another network").isEqualTo(GreylistDecision.NEW);

        clock.advance(Duration.ofDays(34)); // the count lasts 35 days from its last pass, and is not refreshed by
        assertThat(greylist("198.51.100.10/d@example.org/rcpt@example.net", network, rules)) // being used
                .isEqualTo(GreylistDecision.NETWORK_ALLOWED);
        clock.advance(Duration.ofDays(1));
        assertThat(greylist("198.51.100.11/e@example.org/rcpt@example.net", network, rules))
                .isEqualTo(GreylistDecision.NEW);
    }

    @Test
    void noNetworkIsAllowedWhenAutoAllowIsOff() throws Exception {
        String network = "198.51.100.0/24";
        for (int i = 0; i < 5; i++) {
            String triplet = "198.51.100.7/" + i + "@example.org/rcpt@example.net";
            greylist(triplet, network, POSTGREY);
            clock.advance(Duration.ofMinutes(5));
            assertThat(greylist(triplet, network, POSTGREY)).isEqualTo(GreylistDecision.RETRIED);
        }
        assertThat(greylist("198.51.100.7/new@example.org/rcpt@example.net", network, POSTGREY))
                .isEqualTo(GreylistDecision.NEW);
    }

    @Test
    void valuesAreKeptUntilTheirTtl() throws Exception {
        assertThat(answer(store.get("rcpt@example.net"))).isEmpty();
        answer(store.put("rcpt@example.net", "250 2.1.5 ok", Duration.ofMinutes(10)));
        assertThat(answer(store.get("rcpt@example.net"))).contains("250 2.1.5 ok");
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(answer(store.get("rcpt@example.net"))).contains("250 2.1.5 ok");
        clock.advance(Duration.ofMillis(1));
        assertThat(answer(store.get("rcpt@example.net"))).isEmpty();

        answer(store.put("rcpt@example.net", "550 5.1.1 no: such user", Duration.ofMinutes(1)));
        answer(store.put("rcpt@example.net", "550 5.1.1 replaced", Duration.ofMinutes(1)));
        assertThat(answer(store.get("rcpt@example.net"))).isEqualTo(Optional.of("550 5.1.1 replaced"));
        assertThat(answer(store.get("other@example.net"))).isEmpty();
    }

    @Test
    void aKeyOfOneKindIsNotAnotherKindsKey() throws Exception {
        answer(store.put("same", "value", MINUTE));
        assertThat(answer(store.take("same", 1, MINUTE)).allowed()).isTrue();
        assertThat(greylist("same", "same", POSTGREY)).isEqualTo(GreylistDecision.NEW);
        assertThat(answer(store.get("same"))).contains("value");
    }

    protected GreylistDecision greylist(String triplet, String network, GreylistRules rules) throws Exception {
        return answer(store.greylist(triplet, network, rules));
    }

    /** The operation's outcome; a generous bound, so that a loaded machine fails no test. */
    protected static <T> T answer(CompletionStage<T> operation) throws Exception {
        return operation.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
