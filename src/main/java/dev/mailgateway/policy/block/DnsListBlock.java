package dev.mailgateway.policy.block;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.policy.lists.DnsListSites;
import dev.mailgateway.policy.lists.ListScore;
import java.util.List;

/**
 * What the DNS list blocks share: their sites, threshold and exempt recipients, who is never looked up (trusted
 * and authenticated clients), and when the answer is given: at RCPT (the lookups start earlier and wait in the
 * cache), or after DATA for the whole message.
 */
abstract class DnsListBlock implements PolicyBlock {

    protected final DnsListSites sites;
    protected final int threshold;
    protected final Dns dns;
    private final ExemptRecipients exempt;

    DnsListBlock(DnsListSites sites, int threshold, ExemptRecipients exempt, Dns dns) {
        this.sites = sites;
        this.threshold = threshold;
        this.exempt = exempt;
        this.dns = dns;
    }

    /** Nothing to look up for this client: no lists, or a client the lists do not judge. */
    protected boolean skips(PolicyQuery query) {
        return sites.isEmpty() || query.trusted() || query.authUser() != null;
    }

    /** Before RCPT: look up, do not answer yet. */
    protected static boolean tooEarly(PolicyQuery query) {
        return query.stage() != null && query.stage() != Stage.RCPT;
    }

    /** The recipient (at RCPT), or every recipient (after DATA), may be written to by anyone. */
    protected boolean exempted(PolicyQuery query) {
        return query.stage() == Stage.RCPT ? exempt.contains(query.recipient()) : exempt.containsAll(query.recipients());
    }

    protected boolean blocks(ListScore score) {
        return score.score() >= threshold;
    }

    /** The list to name in a refusal: the heaviest listing. */
    protected static String listed(ListScore score) {
        return score.listing().map(ListScore.Hit::list).orElse("");
    }

    protected static void addReasons(List<String> reasons, String kind, ListScore score) {
        for (ListScore.Hit hit : score.hits()) {
            reasons.add(kind + " " + hit.list() + "=" + hit.answer() + " (" + hit.weight() + ")");
        }
    }
}
