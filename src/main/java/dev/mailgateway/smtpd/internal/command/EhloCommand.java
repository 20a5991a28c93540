package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.policy.Stage;
import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/**
 * EHLO and HELO: name the client, reset any transaction (RFC 5321 §4.1.4), and for EHLO list the extensions.
 * The name itself is not judged here: a policy check may.
 */
final class EhloCommand implements SmtpCommand {

    private final boolean extended;

    EhloCommand(boolean extended) {
        this.extended = extended;
    }

    @Override
    public void execute(SmtpSession session, String argument) {
        String[] words = argument.strip().split(" +", 2);
        String name = words[0];
        if (name.isEmpty()) {
            session.reply(extended ? Replies.EHLO_SYNTAX : Replies.HELO_SYNTAX);
            return;
        }
        session.check(session.queryHelo(name), () -> {
            session.greeted(name, extended);
            session.reply(extended ? session.ehloReply() : session.settings().replies().helo());
        }, refusal -> session.refuse(Stage.HELO, refusal, null, null));
    }
}
