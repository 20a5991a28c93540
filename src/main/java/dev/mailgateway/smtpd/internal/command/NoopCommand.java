package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/** NOOP [string]: does nothing, says Ok (RFC 5321 allows an argument and says to ignore it). */
final class NoopCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        session.reply(Replies.OK);
    }
}
