package dev.mailgateway.policy;

import dev.mailgateway.mail.SmtpReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs checks in order until one refuses. Completed answers are taken at once, so a chain of synchronous checks
 * finishes on the caller's thread without scheduling anything.
 */
public final class PolicyChain {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyChain.class);
    /** What the client hears when a check fails instead of answering: try later, as Postfix does. */
    static final SmtpReply CHECK_FAILED = SmtpReply.of(451, "4.3.5", "Server configuration problem");

    private final List<PolicyCheck> checks;

    public PolicyChain(List<PolicyCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    public CompletionStage<PolicyResult> evaluate(PolicyQuery query) {
        return evaluateFrom(0, query);
    }

    private CompletionStage<PolicyResult> evaluateFrom(int index, PolicyQuery query) {
        for (int i = index; i < checks.size(); i++) {
            CompletableFuture<PolicyResult> answer = ask(checks.get(i), query).toCompletableFuture();
            if (!answer.isDone()) {
                int next = i + 1;
                return answer.exceptionally(PolicyChain::failed)
                        .thenCompose(r -> r.isRefused() ? CompletableFuture.completedFuture(r) : evaluateFrom(next, query));
            }
            if (answer.isCompletedExceptionally()) {
                return answer.exceptionally(PolicyChain::failed);
            }
            if (answer.join().isRefused()) {
                return answer;
            }
        }
        return PolicyResult.passNow();
    }

    private static CompletionStage<PolicyResult> ask(PolicyCheck check, PolicyQuery query) {
        try {
            CompletionStage<PolicyResult> stage = check.check(query);
            return stage != null ? stage : PolicyResult.passNow();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static PolicyResult failed(Throwable e) {
        LOG.error("policy check failed, answering {}", CHECK_FAILED, e);
        return PolicyResult.refuse(CHECK_FAILED);
    }
}
