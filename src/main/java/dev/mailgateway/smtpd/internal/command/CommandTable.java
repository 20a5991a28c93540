package dev.mailgateway.smtpd.internal.command;

import java.util.Locale;
import java.util.Map;

/** Verb to command. */
public final class CommandTable {

    public static final SmtpCommand QUIT = (session, argument) -> session.quit();

    private static final Map<String, SmtpCommand> COMMANDS = Map.ofEntries(
            Map.entry("EHLO", new EhloCommand(true)),
            Map.entry("HELO", new EhloCommand(false)),
            Map.entry("MAIL", new MailCommand()),
            Map.entry("RCPT", new RcptCommand()),
            Map.entry("DATA", new DataCommand()),
            Map.entry("RSET", new RsetCommand()),
            Map.entry("NOOP", new NoopCommand()),
            Map.entry("QUIT", QUIT),
            Map.entry("VRFY", new VrfyCommand()),
            Map.entry("HELP", new HelpCommand()),
            Map.entry("STARTTLS", new StartTlsCommand()),
            Map.entry("AUTH", new AuthCommand()),
            Map.entry("BDAT", new BdatCommand()),
            Map.entry("XCLIENT", new XclientCommand()),
            Map.entry("EXPN", new NotImplementedCommand()),
            // An HTTP request or a proxy handshake sent to the SMTP port: someone is abusing a browser or
            // proxy to talk to us (cross-protocol attack). Hang up, as Postfix's smtpd_forbidden_commands does.
            Map.entry("GET", new ForbiddenCommand()),
            Map.entry("POST", new ForbiddenCommand()),
            Map.entry("CONNECT", new ForbiddenCommand()));

    private CommandTable() {
    }

    /** The command for a verb (any case), or null when there is none. */
    public static SmtpCommand find(String verb) {
        SmtpCommand command = COMMANDS.get(verb);
        return command != null || verb.length() > 10 ? command : COMMANDS.get(verb.toUpperCase(Locale.ROOT));
    }
}
