package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/** VRFY: never tells whether a user exists (address harvesting); 252 as RFC 5321 §3.5.3 suggests. */
final class VrfyCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        session.reply(argument.isBlank() ? Replies.VRFY_SYNTAX : Replies.VRFY);
    }
}
