package dev.mailgateway.policy.block;

import dev.mailgateway.mail.Clients;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.state.PolicyStore;
import dev.mailgateway.state.PolicyStore.GreylistRules;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code mail-policy:greylist}: at RCPT, the triplet (client network, sender, recipient) seen for the first time is
 * refused with {@code 451 4.7.1}; a real mail server retries and gets through after the delay, most spamware never
 * does (postgrey's rules, see {@link PolicyStore#greylist}). Exempt: trusted networks, authenticated clients, exempt
 * recipients, and clients an allowlist vouches for (a negative DNSBL score). The null sender is greylisted per
 * recipient like any other. The store away: the mail passes (fail open), counted.
 */
public final class GreylistBlock implements PolicyBlock {

    static final SmtpReply GREYLISTED = SmtpReply.of(451, "4.7.1", "Greylisted, try again later");

    private final GreylistRules rules;
    private final PolicyStore store;
    private final ExemptRecipients exempt;
    /** The client's DNSBL score (cached lookups), for the allowlist exemption; null when no lists are set. */
    private final Function<PolicyQuery, CompletionStage<Double>> allowlistScore;
    private final FailOpen failOpen = new FailOpen("greylist");

    public GreylistBlock(GreylistRules rules, PolicyStore store, ExemptRecipients exempt,
            Function<PolicyQuery, CompletionStage<Double>> allowlistScore) {
        this.rules = rules;
        this.store = store;
        this.exempt = exempt;
        this.allowlistScore = allowlistScore;
    }

    @Override
    public CompletionStage<BlockResult> check(PolicyQuery query) {
        if (query.stage() != Stage.RCPT || query.trusted() || query.authUser() != null
                || exempt.contains(query.recipient())) {
            return BlockResult.passNow();
        }
        if (allowlistScore == null) {
            return greylist(query);
        }
        return allowlistScore.apply(query).thenCompose(score -> score < 0
                ? CompletableFuture.completedFuture(BlockResult.noted("GREYLIST_ALLOWLISTED"))
                : greylist(query));
    }

    private CompletionStage<BlockResult> greylist(PolicyQuery query) {
        String network = Clients.network(query.client().getAddress());
        String sender = query.sender() == null || query.sender().isNullSender() ? "<>"
                : query.sender().toString().toLowerCase(Locale.ROOT);
        String triplet = network + "|" + sender + "|" + query.recipient().toString().toLowerCase(Locale.ROOT);
        try {
            return store.greylist("gl:t:" + triplet, "gl:n:" + network, rules).handle((decision, failure) -> {
                if (failure != null) {
                    return failOpen.passed(failure);
                }
                return decision.accepted() ? BlockResult.PASS
                        : BlockResult.refuse(GREYLISTED, "GREYLISTED " + decision.name().toLowerCase(Locale.ROOT));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failOpen.passed(e));
        }
    }

    public long failedOpen() {
        return failOpen.count();
    }
}
