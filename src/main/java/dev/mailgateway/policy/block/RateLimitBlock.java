package dev.mailgateway.policy.block;

import dev.mailgateway.mail.Clients;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.state.PolicyStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code mail-policy:rate-limit}: counts connections (CONNECT), messages (MAIL) and recipients (RCPT) per client,
 * sender and user against {@link RateLimit}s, in the shared state store. Over a limit: {@code 450 4.7.1} at that
 * command ({@code 421 4.7.0}, and the connection closed, for connections), so a well-behaved sender retries later.
 * Trusted networks are exempt unless told otherwise. The store away: the mail passes (fail open), counted.
 * After DATA (no stage) it does nothing: the limits were applied command by command.
 */
public final class RateLimitBlock implements PolicyBlock {

    static final SmtpReply OVER = SmtpReply.of(450, "4.7.1", "Rate limit exceeded, try again later");
    static final SmtpReply TOO_MANY_CONNECTIONS = SmtpReply.of(421, "4.7.0", "Rate limit exceeded, try again later");

    private final List<RateLimit> limits;
    private final boolean limitTrusted;
    private final PolicyStore store;
    private final FailOpen failOpen = new FailOpen("rate-limit");

    public RateLimitBlock(List<RateLimit> limits, boolean limitTrusted, PolicyStore store) {
        this.limits = limits;
        this.limitTrusted = limitTrusted;
        this.store = store;
    }

    @Override
    public CompletionStage<BlockResult> check(PolicyQuery query) {
        if (query.stage() == null || (query.trusted() && !limitTrusted)) {
            return BlockResult.passNow();
        }
        return next(0, query);
    }

    /** One limit after the other: the first one over stops the count, so the others are not charged for it. */
    private CompletionStage<BlockResult> next(int from, PolicyQuery query) {
        for (int i = from; i < limits.size(); i++) {
            RateLimit limit = limits.get(i);
            String subject = limit.stage() == query.stage() ? subjectOf(limit, query) : null;
            if (subject == null) {
                continue;
            }
            int after = i + 1;
            CompletableFuture<PolicyStore.RateDecision> taken;
            try {
                taken = store.take(limit.keyPrefix() + subject, limit.count(), limit.window()).toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(failOpen.passed(e));
            }
            return taken.handle((decision, failure) -> failure != null ? failOpen.passed(failure)
                    : decision.allowed() ? null : over(limit, query))
                    .thenCompose(result -> result != null ? CompletableFuture.completedFuture(result)
                            : next(after, query));
        }
        return BlockResult.passNow();
    }

    private static BlockResult over(RateLimit limit, PolicyQuery query) {
        return BlockResult.refuse(query.stage() == Stage.CONNECT ? TOO_MANY_CONNECTIONS : OVER,
                "RATE_LIMIT " + limit);
    }

    private static String subjectOf(RateLimit limit, PolicyQuery query) {
        return switch (limit.subject()) {
            case CLIENT -> Clients.counted(query.client().getAddress()).getHostAddress();
            case SENDER -> query.sender() == null || query.sender().isNullSender() ? null
                    : query.sender().toString().toLowerCase(Locale.ROOT);
            case USER -> query.authUser();
        };
    }

    public long failedOpen() {
        return failOpen.count();
    }
}
