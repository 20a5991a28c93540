package dev.mailgateway.policy.block;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.Stage;
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
public final class DnsblBlock implements PolicyBlock {

    private final DnsListSites sites;
    private final int threshold;
    private final ExemptRecipients exempt;
    private final Dns dns;

    public DnsblBlock(DnsListSites sites, int threshold, ExemptRecipients exempt, Dns dns) {
        this.sites = sites;
        this.threshold = threshold;
        this.exempt = exempt;
        this.dns = dns;
    }

    @Override
    public CompletionStage<BlockResult> check(PolicyQuery query) {
        if (sites.isEmpty() || query.trusted() || query.authUser() != null) {
            return BlockResult.passNow();
        }
        CompletionStage<ListScore> lookups = sites.client(dns, query.client().getAddress());
        if (query.stage() != null && query.stage() != Stage.RCPT) {
            return BlockResult.passNow(); // started: the answer waits in the cache for RCPT
        }
        return lookups.thenApply(score -> result(score, query));
    }

    /** The client's summed weight, for blocks that exempt allowlisted clients; 0 for trusted or authenticated. */
    public CompletionStage<Double> score(PolicyQuery query) {
        if (sites.isEmpty() || query.trusted() || query.authUser() != null) {
            return CompletableFuture.completedFuture(0.0);
        }
        return sites.client(dns, query.client().getAddress()).thenApply(score -> (double) score.score());
    }

    private BlockResult result(ListScore score, PolicyQuery query) {
        List<String> reasons = new ArrayList<>();
        for (ListScore.Hit hit : score.hits()) {
            reasons.add("DNSBL " + hit.list() + "=" + hit.answer() + " (" + hit.weight() + ")");
        }
        SmtpReply refusal = null;
        boolean exempted = query.stage() == Stage.RCPT ? exempt.contains(query.recipient())
                : exempt.containsAll(query.recipients());
        if (score.score() >= threshold && !exempted) {
            refusal = SmtpReply.of(554, "5.7.1", "Service unavailable; client ["
                    + query.client().getAddress().getHostAddress() + "] blocked using " + score.listing().map(ListScore.Hit::list).orElse(""));
        }
        return new BlockResult(score.score(), reasons, refusal);
    }
}
