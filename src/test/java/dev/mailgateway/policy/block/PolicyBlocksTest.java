package dev.mailgateway.policy.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.state.MemoryStore;
import dev.mailgateway.state.PolicyStore;
import dev.mailgateway.state.PolicyStore.GreylistRules;
import dev.mailgateway.testing.ManualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The blocks on their own, on the in-process store: what the end-to-end tests cannot reach easily. */
class PolicyBlocksTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryStore store = new MemoryStore(clock);

    private static PolicyQuery query(Stage stage, String sender, String recipient, String user, boolean trusted) {
        return new PolicyQuery(stage, "mx", new InetSocketAddress("198.51.100.7", 40000), "client.test",
                sender == null ? null : sender.isEmpty() ? MailAddress.nullSender() : MailAddress.parse(sender, false),
                List.of(), recipient == null ? null : MailAddress.parse(recipient, false), user, trusted);
    }

    private static BlockResult result(CompletionStage<BlockResult> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void authenticatedClientsAreNotGreylisted() throws Exception {
        GreylistBlock block = new GreylistBlock(new GreylistRules(Duration.ofMinutes(5), Duration.ofDays(2), 5,
                Duration.ofDays(35)), store, ExemptRecipients.parse("postmaster@*"), null);
        assertThat(result(block.check(query(Stage.RCPT, "a@x.test", "b@y.test", "alice", false))).refuses()).isFalse();
        assertThat(result(block.check(query(Stage.RCPT, "a@x.test", "b@y.test", null, false))).refusal())
                .hasToString("451 4.7.1 Greylisted, try again later");
    }

    @Test
    void anAuthenticatedUsersMessagesAreLimited() throws Exception {
        RateLimitBlock block = new RateLimitBlock(RateLimit.parseAll("user:messages=2/1h"), false, store);
        for (int i = 0; i < 2; i++) {
            assertThat(result(block.check(query(Stage.MAIL, "a@x.test", null, "alice", false))).refuses()).isFalse();
        }
        BlockResult over = result(block.check(query(Stage.MAIL, "a@x.test", null, "alice", false)));
        assertThat(over.refusal()).hasToString("450 4.7.1 Rate limit exceeded, try again later");
        assertThat(over.reasons()).containsExactly("RATE_LIMIT user:messages=2/3600s");
        assertThat(result(block.check(query(Stage.MAIL, "a@x.test", null, "bob", false))).refuses())
                .as("another user").isFalse();
        assertThat(result(block.check(query(Stage.MAIL, "a@x.test", null, null, false))).refuses())
                .as("no user: not counted").isFalse();
    }

    @Test
    void aStoreThatFailsLetsMailThroughAndIsCounted() throws Exception {
        PolicyStore broken = new BrokenStore();
        RateLimitBlock limits = new RateLimitBlock(RateLimit.parseAll("client:messages=1/1h"), false, broken);
        BlockResult passed = result(limits.check(query(Stage.MAIL, "a@x.test", null, null, false)));
        assertThat(passed.refuses()).isFalse();
        assertThat(passed.reasons()).containsExactly("RATE_LIMIT_UNAVAILABLE");
        assertThat(limits.failedOpen()).isEqualTo(1);
        GreylistBlock greylist = new GreylistBlock(new GreylistRules(Duration.ofMinutes(5), Duration.ofDays(2), 5,
                Duration.ofDays(35)), broken, ExemptRecipients.parse(""), null);
        assertThat(result(greylist.check(query(Stage.RCPT, "a@x.test", "b@y.test", null, false))).refuses()).isFalse();
        assertThat(greylist.failedOpen()).isEqualTo(1);
    }

    @Test
    void rateLimitsAreWrittenSubjectEventCountWindow() {
        assertThat(RateLimit.parseAll("client:connections=60/1m, sender:recipients=5/d")).containsExactly(
                new RateLimit(RateLimit.Subject.CLIENT, RateLimit.Event.CONNECTIONS, 60, Duration.ofMinutes(1)),
                new RateLimit(RateLimit.Subject.SENDER, RateLimit.Event.RECIPIENTS, 5, Duration.ofDays(1)));
        assertThatThrownBy(() -> RateLimit.parseAll("user:connections=5/1m")).hasMessageContaining("only a client");
        assertThatThrownBy(() -> RateLimit.parseAll("client:messages=5")).hasMessageContaining("client:messages=5");
        assertThatThrownBy(() -> RateLimit.parseAll("robot:messages=5/1h")).hasMessageContaining("subjects are");
    }

    @Test
    void exemptRecipientsAreLocalAtDomainPatterns() {
        ExemptRecipients exempt = ExemptRecipients.parse("postmaster@*, abuse@*,*@noc.test");
        assertThat(exempt.contains(MailAddress.parse("Postmaster@Dest.Test", false))).isTrue();
        assertThat(exempt.contains(MailAddress.parse("abuse+list@dest.test", false))).isTrue();
        assertThat(exempt.contains(MailAddress.parse("anyone@noc.test", false))).isTrue();
        assertThat(exempt.contains(MailAddress.parse("postmasterx@dest.test", false))).isFalse();
        assertThat(exempt.contains(MailAddress.parse("user@dest.test", false))).isFalse();
        assertThatThrownBy(() -> ExemptRecipients.parse("postmaster")).hasMessageContaining("local@domain");
    }

    /** A store whose every answer is a failure, as a Redis that went away gives. */
    private static final class BrokenStore implements PolicyStore {
        private static <T> CompletionStage<T> failed() {
            return CompletableFuture.failedFuture(new IllegalStateException("store away"));
        }

        @Override
        public CompletionStage<RateDecision> take(String key, long limit, Duration window) {
            return failed();
        }

        @Override
        public CompletionStage<GreylistDecision> greylist(String triplet, String network, GreylistRules rules) {
            return failed();
        }

        @Override
        public CompletionStage<java.util.Optional<String>> get(String key) {
            return failed();
        }

        @Override
        public CompletionStage<Void> put(String key, String value, Duration ttl) {
            return failed();
        }

        @Override
        public CompletionStage<String> ping() {
            return failed();
        }

        @Override
        public String describe() {
            return "broken";
        }

        @Override
        public void close() {
        }
    }
}
