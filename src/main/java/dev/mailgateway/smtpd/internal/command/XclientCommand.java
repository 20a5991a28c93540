package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * XCLIENT (Postfix's extension, www.postfix.org/XCLIENT_README.html): a proxy, or the gateway's own {@code explain},
 * tells the listener which client it speaks for — ADDR, PORT, HELO, LOGIN (NAME and PROTO are accepted and not
 * used: names are never trusted here, and the protocol follows from EHLO). Only clients in {@code xclientHosts}
 * (empty by default) may; anyone else hears 550 5.7.0, as from Postfix. Values are xtext (RFC 3461);
 * {@code [UNAVAILABLE]} and {@code [TEMPUNAVAIL]} mean "none".
 */
final class XclientCommand implements SmtpCommand {

    static final SmtpReply NOT_AUTHORIZED = SmtpReply.of(550, "5.7.0", "Error: insufficient authorization");
    static final SmtpReply SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: XCLIENT attribute=value...");

    @Override
    public void execute(SmtpSession session, String argument) {
        if (!session.mayUseXclient()) {
            session.reply(NOT_AUTHORIZED);
            return;
        }
        if (session.hasTransaction()) {
            session.reply(Replies.IN_TRANSACTION);
            return;
        }
        if (argument.isBlank()) {
            session.reply(SYNTAX);
            return;
        }
        InetAddress address = null;
        int port = 0;
        String helo = null;
        String login = null;
        for (String attribute : argument.strip().split(" +")) {
            int equals = attribute.indexOf('=');
            if (equals <= 0) {
                session.reply(SYNTAX);
                return;
            }
            String name = attribute.substring(0, equals).toUpperCase(Locale.ROOT);
            String value = xtext(attribute.substring(equals + 1));
            if (value == null) {
                session.reply(SmtpReply.of(501, "5.5.4", "Bad " + name + " syntax"));
                return;
            }
            boolean none = value.equals("[UNAVAILABLE]") || value.equals("[TEMPUNAVAIL]") || value.isEmpty();
            switch (name) {
                case "ADDR" -> {
                    address = none ? null : literal(value);
                    if (!none && address == null) {
                        session.reply(SmtpReply.of(501, "5.5.4", "Bad ADDR syntax"));
                        return;
                    }
                }
                case "PORT" -> {
                    try {
                        port = none ? 0 : Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65535) {
                        session.reply(SmtpReply.of(501, "5.5.4", "Bad PORT syntax"));
                        return;
                    }
                }
                case "HELO" -> helo = none ? null : value;
                case "LOGIN" -> login = none ? null : value;
                case "NAME", "PROTO", "DESTADDR", "DESTPORT" -> {
                    // accepted, not used
                }
                default -> {
                    session.reply(SmtpReply.of(501, "5.5.4", "Bad XCLIENT attribute name: " + name));
                    return;
                }
            }
        }
        session.speakFor(address, port, helo, login);
    }

    /** An address literal (IPv6 as Postfix sends it, "IPV6:" first), never a name: nothing here asks DNS. */
    static InetAddress literal(String value) {
        String text = value.regionMatches(true, 0, "IPV6:", 0, 5) ? value.substring(5) : value;
        if (text.isEmpty() || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')
                || (text.indexOf(':') < 0 && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** RFC 3461 xtext: "+" and two upper-case hex digits stand for a character; null when malformed. */
    static String xtext(String text) {
        if (text.indexOf('+') < 0) {
            return text;
        }
        StringBuilder decoded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '+') {
                decoded.append(c);
            } else if (i + 2 < text.length() && Character.digit(text.charAt(i + 1), 16) >= 0
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
                decoded.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                return null;
            }
        }
        return decoded.toString();
    }
}
