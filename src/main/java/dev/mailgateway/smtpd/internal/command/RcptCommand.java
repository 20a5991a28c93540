package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.smtpd.internal.PathArgument;
import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/** RCPT TO:&lt;recipient&gt;: adds a recipient once the policy checks pass. */
final class RcptCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!session.hasTransaction()) {
            session.reply(Replies.NEED_MAIL);
            return;
        }
        session.recipientTried();
        MailAddress recipient = parse(session, argument);
        if (recipient == null) {
            return;
        }
        if (session.hasRecipient(recipient)) {
            session.reply(Replies.RECIPIENT_OK); // a duplicate: accepted, delivered once
            return;
        }
        if (session.recipientCount() >= session.settings().maxRecipients()) {
            session.reply(Replies.TOO_MANY_RECIPIENTS);
            return;
        }
        session.check(session.queryRcpt(recipient),
                () -> {
                    session.addRecipient(recipient);
                    session.reply(Replies.RECIPIENT_OK);
                },
                refusal -> session.refuse(Stage.RCPT, refusal, session.sender(), recipient));
    }

    private static MailAddress parse(SmtpSession session, String argument) {
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, "TO:");
        } catch (PathArgument.SyntaxError e) {
            session.reply(switch (e.error) {
                case KEYWORD -> Replies.RCPT_SYNTAX;
                case PATH -> Replies.BAD_RECIPIENT;
                case PARAMETER -> Replies.PARAMETER_SYNTAX;
            });
            return null;
        }
        boolean utf8 = session.smtpUtf8();
        if (!parsed.parameters().isEmpty()) {
            session.reply(Replies.unsupportedParameter(parsed.parameters().keySet().iterator().next()));
            return null;
        }
        if (parsed.path().equalsIgnoreCase("postmaster")) {
            // RFC 5321 §4.5.1: <postmaster> without a domain must be taken; it is this host's postmaster.
            return MailAddress.parse("postmaster@" + session.settings().hostname(), false);
        }
        MailAddress recipient = MailParameters.address(parsed.path(), utf8);
        if (recipient == null) {
            session.reply(!utf8 && MailParameters.address(parsed.path(), true) != null
                    ? Replies.NEED_SMTPUTF8 : Replies.BAD_RECIPIENT);
        }
        return recipient;
    }
}
