package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.SmtpSession;

/** A verb that is not SMTP but HTTP: the session ends at once. */
final class ForbiddenCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        session.hangUp();
    }
}
