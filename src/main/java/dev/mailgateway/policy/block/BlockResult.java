package dev.mailgateway.policy.block;

import dev.mailgateway.mail.SmtpReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a block found: points for the running score (negative for an allowlist), named reasons (as Rspamd's
 * symbols: {@code DNSBL zen.example=127.0.0.2 (3)}), and at most a proposed refusal. The route decides what to do
 * with it; the block refuses on its own only with {@code reject=true}.
 */
public record BlockResult(double score, List<String> reasons, SmtpReply refusal) {

    public static final BlockResult PASS = new BlockResult(0, List.of(), null);
    private static final CompletableFuture<BlockResult> PASS_NOW = CompletableFuture.completedFuture(PASS);

    public BlockResult {
        reasons = List.copyOf(reasons);
    }

    public static CompletionStage<BlockResult> passNow() {
        return PASS_NOW;
    }

    public static BlockResult refuse(SmtpReply reply, String reason) {
        return new BlockResult(0, List.of(reason), reply);
    }

    public static BlockResult noted(String reason) {
        return new BlockResult(0, List.of(reason), null);
    }

    public boolean refuses() {
        return refusal != null;
    }
}
