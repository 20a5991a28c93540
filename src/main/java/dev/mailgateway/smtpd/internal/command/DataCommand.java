package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/** DATA: after MAIL and at least one accepted RCPT, the message follows. */
final class DataCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!argument.isBlank()) {
            session.reply(Replies.NO_ARGUMENTS);
        } else if (!session.hasTransaction()) {
            session.reply(Replies.NEED_MAIL);
        } else if (session.isChunking()) {
            session.reply(Replies.DATA_AFTER_BDAT);
        } else if (session.recipientCount() == 0) {
            session.reply(session.wasRecipientTried() ? Replies.NO_VALID_RECIPIENTS : Replies.NEED_RCPT);
        } else {
            session.startData();
        }
    }
}
