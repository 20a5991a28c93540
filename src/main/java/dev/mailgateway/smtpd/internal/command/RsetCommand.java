package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/** RSET: abandons the transaction; the HELO name stays. */
final class RsetCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isBlank()) {
            session.reply(Replies.NO_ARGUMENTS);
            return;
        }
        session.resetTransaction();
        session.reply(Replies.OK);
    }
}
