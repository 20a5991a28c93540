package dev.mailgateway.policy;

import dev.mailgateway.mail.Postmaster;
import dev.mailgateway.mail.SmtpReply;
import java.util.concurrent.CompletionStage;

/**
 * Never an open relay: a recipient is taken when its domain is one we relay for, or the client is in a trusted
 * network, or the client authenticated. Anything else is refused as Postfix's reject_unauth_destination does.
 * {@code <postmaster>} of this host is always taken (RFC 5321 §4.5.1).
 */
public final class RelayControl implements PolicyCheck {

    private final DomainList relayDomains;
    private final NetworkList trustedNetworks;

    private final Postmaster postmaster;

    public RelayControl(DomainList relayDomains, NetworkList trustedNetworks, String hostname) {
        this.relayDomains = relayDomains;
        this.trustedNetworks = trustedNetworks;
        this.postmaster = new Postmaster(hostname);
    }

    @Override
    public CompletionStage<PolicyResult> check(PolicyQuery query) {
        if (query.stage() != Stage.RCPT
                || relayDomains.contains(query.recipient().domainKey())
                || query.authUser() != null
                || postmaster.is(query.recipient())
                || trustedNetworks.contains(query.client().getAddress())) {
            return PolicyResult.passNow();
        }
        return PolicyResult.refuseNow(
                SmtpReply.of(554, "5.7.1", "<" + query.recipient() + ">: Relay access denied"));
    }
}
