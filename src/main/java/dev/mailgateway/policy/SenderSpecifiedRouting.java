package dev.mailgateway.policy;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.SmtpReply;
import java.util.concurrent.CompletionStage;

/**
 * Sender-specified routing only from clients we trust, as Postfix's {@code allow_untrusted_routing = no}: a
 * recipient whose local part holds a routing operator ({@code user%host@}, {@code host!user@}, or a quoted
 * {@code "user@host"@}) is refused for untrusted, unauthenticated clients, whatever its domain. A relay domain's
 * server may honour the operator and pass the mail on to the third party (the open relay hole of backup MX hosts),
 * and the recipient map's {@code user+extension} rule would vouch for {@code alice+x%host@}. Runs before the
 * recipient map; the reply is Postfix's for this case.
 */
public final class SenderSpecifiedRouting implements PolicyCheck {

    private final NetworkList trustedNetworks;

    public SenderSpecifiedRouting(NetworkList trustedNetworks) {
        this.trustedNetworks = trustedNetworks;
    }

    @Override
    public CompletionStage<PolicyResult> check(PolicyQuery query) {
        if (query.stage() != Stage.RCPT
                || !isRouted(query.recipient())
                || query.authUser() != null
                || trustedNetworks.contains(query.client().getAddress())) {
            return PolicyResult.passNow();
        }
        return PolicyResult.refuseNow(
                SmtpReply.of(554, "5.7.1", "<" + query.recipient() + ">: Relay access denied"));
    }

    /**
     * Whether the local part names another destination. An unquoted local part never holds '@', so an '@' there
     * is inside quotes; Postfix's resolver looks for the same three characters.
     */
    static boolean isRouted(MailAddress recipient) {
        String local = recipient.localPart();
        return local.indexOf('%') >= 0 || local.indexOf('!') >= 0 || local.indexOf('@') >= 0;
    }
}
