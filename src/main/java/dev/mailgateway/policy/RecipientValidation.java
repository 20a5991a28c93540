package dev.mailgateway.policy;

import dev.mailgateway.mail.DomainNames;
import dev.mailgateway.mail.SmtpReply;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses unknown users of relay domains at RCPT time, so the gateway never takes mail it would later have to
 * bounce to a sender that may be forged (backscatter). Fails closed: a relay domain with no line in the recipient
 * map has no known users, so all its recipients are refused until the map lists them, or {@code @domain} says
 * that every user is taken (then unknown users are the next hop's to refuse, and ours to bounce). Domains the map
 * names that are not relay domains are validated too. With recipient verification on, a relay domain without
 * lines is left to {@code mail-policy:verify-recipient}, which asks the next hop.
 */
public final class RecipientValidation implements PolicyCheck {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientValidation.class);

    private final RecipientMap map;
    private final DomainList relayDomains;
    private final boolean verified;

    /** @param verified recipients of relay domains without lines are verified at the next hop by the policy route */
    public RecipientValidation(RecipientMap map, DomainList relayDomains, boolean verified) {
        this.map = map;
        this.relayDomains = relayDomains;
        this.verified = verified;
    }

    /** At start: says which relay domains will refuse everyone, so an operator is not left guessing. */
    public void warnAboutUnlisted(String relayDomainsText) {
        for (String entry : relayDomainsText == null ? new String[0] : relayDomainsText.split("[,\\s]+")) {
            if (!verified && !entry.isEmpty() && !entry.startsWith(".") && !map.listsDomain(DomainNames.key(entry))) {
                LOG.warn("relay domain {} has no line in {}: all its recipients are refused (550 5.1.1); list its "
                        + "users, or @{} to take them all", entry, map.file().file(), entry);
            }
        }
    }

    @Override
    public CompletionStage<PolicyResult> check(PolicyQuery query) {
        if (query.stage() != Stage.RCPT || map.knows(query.recipient())
                || !(relayDomains.contains(query.recipient().domainKey()) || map.validates(query.recipient()))
                || (verified && !map.validates(query.recipient()))) {
            return PolicyResult.passNow();
        }
        return PolicyResult.refuseNow(SmtpReply.of(550, "5.1.1",
                "<" + query.recipient() + ">: Recipient address rejected: User unknown in relay recipient table"));
    }
}
