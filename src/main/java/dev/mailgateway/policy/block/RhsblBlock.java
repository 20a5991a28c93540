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
 * {@code mail-policy:rhsbl}: the envelope sender's domain and the HELO name against domain lists
 * ({@code gateway.policy.rhsbl}, same syntax and weights as the DNSBL, {@code gateway.policy.rhsbl.threshold}).
 * Looked up as soon as the name is known (HELO, MAIL), answered at RCPT as Postfix's reject_rhsbl_sender and
 * reject_rhsbl_helo do, exempt recipients still reachable. Trusted and authenticated clients are not looked up;
 * the null sender has no domain to look up.
 */
public final class RhsblBlock implements PolicyBlock {

    private final DnsListSites sites;
    private final int threshold;
    private final ExemptRecipients exempt;
    private final Dns dns;

    public RhsblBlock(DnsListSites sites, int threshold, ExemptRecipients exempt, Dns dns) {
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
        String senderDomain = query.sender() == null || query.sender().isNullSender() ? null
                : query.sender().domainKey();
        String helo = query.helo();
        CompletionStage<ListScore> sender = senderDomain == null ? null : sites.domain(dns, senderDomain);
        CompletionStage<ListScore> heloName = helo == null ? null : sites.domain(dns, helo);
        if (query.stage() != null && query.stage() != Stage.RCPT) {
            return BlockResult.passNow(); // started: the answers wait in the cache for RCPT
        }
        CompletableFuture<ListScore> none = CompletableFuture.completedFuture(ListScore.NONE);
        CompletionStage<ListScore> s = sender == null ? none : sender;
        CompletionStage<ListScore> h = heloName == null ? none : heloName;
        return s.thenCombine(h, (senderScore, heloScore) -> result(senderScore, heloScore, query));
    }

    private BlockResult result(ListScore sender, ListScore helo, PolicyQuery query) {
        List<String> reasons = new ArrayList<>();
        for (ListScore.Hit hit : sender.hits()) {
            reasons.add("RHSBL_SENDER " + hit.list() + "=" + hit.answer() + " (" + hit.weight() + ")");
        }
        for (ListScore.Hit hit : helo.hits()) {
            reasons.add("RHSBL_HELO " + hit.list() + "=" + hit.answer() + " (" + hit.weight() + ")");
        }
        boolean exempted = query.stage() == Stage.RCPT ? exempt.contains(query.recipient())
                : exempt.containsAll(query.recipients());
        SmtpReply refusal = null;
        if (!exempted && sender.score() >= threshold) {
            refusal = SmtpReply.of(554, "5.7.1", "<" + query.sender() + ">: Sender address rejected: blocked using "
                    + sender.listing().map(ListScore.Hit::list).orElse(""));
        } else if (!exempted && helo.score() >= threshold) {
            refusal = SmtpReply.of(554, "5.7.1", "<" + query.helo() + ">: Helo command rejected: blocked using "
                    + helo.listing().map(ListScore.Hit::list).orElse(""));
        }
        return new BlockResult(sender.score() + helo.score(), reasons, refusal);
    }
}
