package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.smtpd.internal.SmtpSession;

/** One SMTP verb. Stateless: the state is the session's. */
public interface SmtpCommand {

    /**
     * @param argument what followed the verb and one space, possibly empty
     */
    void execute(SmtpSession session, String argument);
}
