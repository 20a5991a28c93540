package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/** STARTTLS (RFC 3207): on a plain-text session of a listener that offers it, outside a transaction. */
final class StartTlsCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        if (session.isTls()) {
            session.reply(Replies.TLS_ACTIVE);
        } else if (!session.offersStartTls()) {
            session.reply(Replies.NOT_IMPLEMENTED);
        } else if (!argument.isBlank()) {
            session.reply(Replies.STARTTLS_SYNTAX);
        } else if (session.hasTransaction()) {
            session.reply(Replies.IN_TRANSACTION);
        } else {
            session.startTls();
        }
    }
}
