package dev.mailgateway.policy;

import dev.mailgateway.mail.SmtpReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The answer of one check: pass (let the next check decide) or refuse with a 4xx/5xx reply. A check never
 * "accepts" for the others: every check in the chain may still refuse.
 */
public final class PolicyResult {

    public static final PolicyResult PASS = new PolicyResult(null);
    private static final CompletableFuture<PolicyResult> PASS_NOW = CompletableFuture.completedFuture(PASS);

    private final SmtpReply refusal;

    private PolicyResult(SmtpReply refusal) {
        this.refusal = refusal;
    }

    public static PolicyResult refuse(SmtpReply reply) {
        if (reply.isPositive()) {
            throw new IllegalArgumentException("a refusal needs a 4xx or 5xx reply: " + reply);
        }
        return new PolicyResult(reply);
    }

    /** An already-completed pass, shared: synchronous checks return it without allocating. */
    public static CompletionStage<PolicyResult> passNow() {
        return PASS_NOW;
    }

    public static CompletionStage<PolicyResult> refuseNow(SmtpReply reply) {
        return CompletableFuture.completedFuture(refuse(reply));
    }

    public boolean isRefused() {
        return refusal != null;
    }

    /** The reply for the client; null on pass. */
    public SmtpReply refusal() {
        return refusal;
    }

    @Override
    public String toString() {
        return refusal == null ? "PASS" : "REFUSE " + refusal;
    }
}
