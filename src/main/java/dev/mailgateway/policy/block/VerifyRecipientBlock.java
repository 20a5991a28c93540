package dev.mailgateway.policy.block;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.DomainList;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.RecipientMap;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.relay.RemoteReply;
import dev.mailgateway.state.PolicyStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code mail-policy:verify-recipient}: Postfix's reject_unverified_recipient. At RCPT, a recipient of a relay
 * domain that the recipient map does not name itself is asked about at the next hop, through the relay's own
 * routing and TLS ({@code MAIL FROM:<>}, {@code RCPT TO}, {@code RSET}, {@code QUIT}): 2xx → accepted, 5xx →
 * {@code 550 5.1.1} with the next hop's words, anything else (no answer in time, 4xx, unreachable) →
 * {@code 450 4.1.1}, try later. So the gateway never takes mail it would have to bounce to a forged sender.
 * Answers are remembered in the state store as Postfix does: accepted 31 days, refused 3 days; not-known-yet not
 * at all. Trusted and authenticated clients are not checked (their mail's bounces come back to us).
 */
public final class VerifyRecipientBlock implements PolicyBlock {

    private static final int MAX_QUOTED = 200;

    private final DomainList relayDomains;
    private final RecipientMap map;
    private final Function<MailAddress, CompletionStage<RemoteReply>> probe;
    private final PolicyStore store;
    private final Duration positiveTtl;
    private final Duration negativeTtl;

    /** @param map the recipient map, or null when there is none (then every relay-domain recipient is probed) */
    public VerifyRecipientBlock(DomainList relayDomains, RecipientMap map,
            Function<MailAddress, CompletionStage<RemoteReply>> probe, PolicyStore store, Duration positiveTtl,
            Duration negativeTtl) {
        this.relayDomains = relayDomains;
        this.map = map;
        this.probe = probe;
        this.store = store;
        this.positiveTtl = positiveTtl;
        this.negativeTtl = negativeTtl;
    }

    @Override
    public CompletionStage<BlockResult> check(PolicyQuery query) {
        MailAddress recipient = query.recipient();
        if (query.stage() != Stage.RCPT || query.trusted() || query.authUser() != null
                || !relayDomains.contains(recipient.domainKey()) || (map != null && map.listsAddress(recipient))) {
            return BlockResult.passNow();
        }
        String key = "vr:" + recipient.toString().toLowerCase(Locale.ROOT);
        CompletionStage<Optional<String>> cached;
        try {
            cached = store.get(key);
        } catch (RuntimeException e) {
            cached = CompletableFuture.failedFuture(e);
        }
        return cached.handle((value, failure) -> failure == null ? value.orElse(null) : null) // store away: ask
                .thenCompose(known -> known != null ? CompletableFuture.completedFuture(answer(recipient, known))
                        : probe.apply(recipient).thenApply(reply -> remember(key, recipient, reply)));
    }

    private BlockResult remember(String key, MailAddress recipient, RemoteReply reply) {
        if (reply.isPositive() || reply.isPermanent()) {
            String value = reply.code() + " " + quoted(reply);
            try {
                store.put(key, value, reply.isPositive() ? positiveTtl : negativeTtl);
            } catch (RuntimeException e) {
                // not remembered: the next RCPT asks again, nothing worse
            }
            return answer(recipient, value);
        }
        return BlockResult.refuse(SmtpReply.of(450, "4.1.1", "<" + recipient
                + ">: Recipient address rejected: unverified address: " + quoted(reply)), "RECIPIENT_UNVERIFIED");
    }

    private static BlockResult answer(MailAddress recipient, String known) {
        if (known.startsWith("2")) {
            return BlockResult.PASS;
        }
        String said = known.length() > 4 ? known.substring(4) : known;
        return BlockResult.refuse(SmtpReply.of(550, "5.1.1", "<" + recipient
                + ">: Recipient address rejected: undeliverable address: " + said), "RECIPIENT_UNDELIVERABLE");
    }

    /** The next hop's reply, as one short line of printable ASCII: it goes into our reply to the client. */
    private static String quoted(RemoteReply reply) {
        return dev.mailgateway.mail.Printable.replyText(reply.toString(), MAX_QUOTED);
    }
}
