package dev.mailgateway.policy;

import dev.mailgateway.mail.SmtpReply;
import java.util.concurrent.CompletionStage;

/**
 * Refuses unknown users of validated relay domains at RCPT time, so the gateway never takes mail it would later
 * have to bounce to a sender that may be forged (backscatter).
 */
public final class RecipientValidation implements PolicyCheck {

    private final RecipientMap map;

    public RecipientValidation(RecipientMap map) {
        this.map = map;
    }

    @Override
    public CompletionStage<PolicyResult> check(PolicyQuery query) {
        if (query.stage() != Stage.RCPT || !map.validates(query.recipient()) || map.knows(query.recipient())) {
            return PolicyResult.passNow();
        }
        return PolicyResult.refuseNow(SmtpReply.of(550, "5.1.1",
                "<" + query.recipient() + ">: Recipient address rejected: User unknown in relay recipient table"));
    }
}
