package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/** A verb we know and decline (EXPN would list mailing-list members). */
final class NotImplementedCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        session.reply(Replies.NOT_IMPLEMENTED);
    }
}
