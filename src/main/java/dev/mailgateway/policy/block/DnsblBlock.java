package dev.mailgateway.policy.block;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.lists.DnsListSites;
import dev.mailgateway.policy.lists.ListScore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code mail-policy:dnsbl}: the client's address against DNS block- and allowlists, weighted and summed as
 * Postfix's postscreen does ({@code gateway.policy.dnsbl}, {@code gateway.policy.dnsbl.threshold}). The lookups
 * start as soon as the client connects; the answer is given at RCPT (Postfix's smtpd_delay_reject), so a listed
 * client can still reach the exempt recipients (postmaster@, abuse@) and the log shows whom it wrote to. Trusted
 * and authenticated clients are not looked up. A list that times out or fails scores nothing.
 */
public final class DnsblBlock extends DnsListBlock {

    public DnsblBlock(DnsListSites sites, int threshold, ExemptRecipients exempt, Dns dns) {
        super(sites, threshold, exempt, dns);
    }

    @Override
    public CompletionStage<BlockResult> check(PolicyQuery query) {
        if (skips(query)) {
            return BlockResult.passNow();
        }
        CompletionStage<ListScore> lookups = sites.client(dns, query.client().getAddress());
        if (tooEarly(query)) {
            return BlockResult.passNow(); // started: the answer waits in the cache for RCPT
        }
        return lookups.thenApply(score -> result(score, query));
    }

    /** The client's summed weight, for blocks that exempt allowlisted clients; 0 for trusted or authenticated. */
    public CompletionStage<Double> score(PolicyQuery query) {
        if (skips(query)) {
            return CompletableFuture.completedFuture(0.0);
        }
        return sites.client(dns, query.client().getAddress()).thenApply(score -> (double) score.score());
    }

    private BlockResult result(ListScore score, PolicyQuery query) {
        List<String> reasons = new ArrayList<>();
        addReasons(reasons, "DNSBL", score);
        SmtpReply refusal = null;
        if (blocks(score) && !exempted(query)) {
            refusal = SmtpReply.of(554, "5.7.1", "Service unavailable; client ["
                    + query.client().getAddress().getHostAddress() + "] blocked using " + listed(score));
        }
        return new BlockResult(score.score(), reasons, refusal);
    }
}
