package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/** MAIL FROM:&lt;sender&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8] [AUTH=...]: starts a transaction. */
final class MailCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        if (session.helo() == null) {
            session.reply(Replies.HELO_FIRST);
            return;
        }
        if (session.hasTransaction()) {
            session.reply(Replies.NESTED_MAIL);
            return;
        }
        if (session.needsTlsFirst()) {
            session.reply(Replies.TLS_FIRST);
            return;
        }
        if (session.needsAuthFirst()) {
            session.reply(Replies.AUTH_REQUIRED);
            return;
        }
        MailParameters parameters = MailParameters.parse(session, argument);
        if (parameters == null) {
            return; // the reply is sent
        }
        MailAddress sender = parameters.sender();
        session.check(session.queryMail(sender),
                () -> {
                    session.beginTransaction(sender, parameters.bodyType(), parameters.smtpUtf8());
                    session.reply(Replies.SENDER_OK);
                },
                refusal -> session.refuse(Stage.MAIL, refusal, sender, null));
    }
}
