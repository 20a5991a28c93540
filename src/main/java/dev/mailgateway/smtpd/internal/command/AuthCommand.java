package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.AuthExchange;
import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;
import java.util.Locale;

/** AUTH PLAIN|LOGIN [initial-response] (RFC 4954), only where the listener offers it: over TLS unless allowed. */
final class AuthCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!session.settings().auth().enabled()) {
            session.reply(Replies.NOT_IMPLEMENTED);
            return;
        }
        if (!session.offersAuth()) {
            session.reply(Replies.AUTH_NEEDS_TLS);
            return;
        }
        if (session.helo() == null) {
            session.reply(Replies.HELO_FIRST);
            return;
        }
        if (session.isAuthenticated()) {
            session.reply(Replies.ALREADY_AUTHENTICATED);
            return;
        }
        if (session.hasTransaction()) {
            session.reply(Replies.IN_TRANSACTION);
            return;
        }
        if (session.isAuthBlocked()) {
            session.reply(session.settings().replies().tooManyAuthFailures());
            return;
        }
        String[] words = argument.strip().split(" +");
        if (words[0].isEmpty() || words.length > 2) {
            session.reply(Replies.AUTH_SYNTAX);
            return;
        }
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        if (!mechanism.equals("PLAIN") && !mechanism.equals("LOGIN")) {
            session.reply(Replies.AUTH_MECHANISM);
            return;
        }
        AuthExchange.start(session, mechanism, words.length == 2 ? words[1] : null);
    }
}
