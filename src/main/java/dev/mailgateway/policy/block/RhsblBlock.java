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
 * {@code mail-policy:rhsbl}: the envelope sender's domain and the HELO name against domain lists
 * ({@code gateway.policy.rhsbl}, same syntax and weights as the DNSBL, {@code gateway.policy.rhsbl.threshold}).
 * Looked up as soon as the name is known (HELO, MAIL), answered at RCPT as Postfix's reject_rhsbl_sender and
 * reject_rhsbl_helo do, exempt recipients still reachable. Trusted and authenticated clients are not looked up;
 * the null sender has no domain to look up.
 */
public final class RhsblBlock extends DnsListBlock {

    private static final CompletableFuture<ListScore> NONE = CompletableFuture.completedFuture(ListScore.NONE);

    public RhsblBlock(DnsListSites sites, int threshold, ExemptRecipients exempt, Dns dns) {
        super(sites, threshold, exempt, dns);
    }

    @Override
    public CompletionStage<BlockResult> check(PolicyQuery query) {
        if (skips(query)) {
            return BlockResult.passNow();
        }
        CompletionStage<ListScore> sender = query.sender() == null || query.sender().isNullSender() ? NONE
                : sites.domain(dns, query.sender().domainKey());
        CompletionStage<ListScore> helo = query.helo() == null ? NONE : sites.domain(dns, query.helo());
        if (tooEarly(query)) {
            return BlockResult.passNow(); // started: the answers wait in the cache for RCPT
        }
        return sender.thenCombine(helo, (senderScore, heloScore) -> result(senderScore, heloScore, query));
    }

    private BlockResult result(ListScore sender, ListScore helo, PolicyQuery query) {
        List<String> reasons = new ArrayList<>();
        addReasons(reasons, "RHSBL_SENDER", sender);
        addReasons(reasons, "RHSBL_HELO", helo);
        SmtpReply refusal = null;
        if (!exempted(query)) {
            if (blocks(sender)) {
                refusal = SmtpReply.of(554, "5.7.1", "<" + query.sender() + ">: Sender address rejected: blocked"
                        + " using " + listed(sender));
            } else if (blocks(helo)) {
                refusal = SmtpReply.of(554, "5.7.1", "<" + query.helo() + ">: Helo command rejected: blocked using "
                        + listed(helo));
            }
        }
        return new BlockResult(sender.score() + helo.score(), reasons, refusal);
    }
}
