package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.smtpd.internal.PathArgument;
import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;
import java.util.Locale;
import java.util.Map;

/** The sender and ESMTP parameters of MAIL FROM, checked; any problem is answered here. */
record MailParameters(MailAddress sender, String bodyType, long size, boolean smtpUtf8) {

    /** @return the parameters, or null when a reply has been sent instead */
    static MailParameters parse(SmtpSession session, String argument) {
        PathArgument parsed;
        try {
            parsed = PathArgument.parse(argument, "FROM:");
        } catch (PathArgument.SyntaxError e) {
            session.reply(switch (e.error) {
                case KEYWORD -> Replies.MAIL_SYNTAX;
                case PATH -> Replies.BAD_SENDER;
                case PARAMETER -> Replies.PARAMETER_SYNTAX;
            });
            return null;
        }
        long size = 0;
        String bodyType = null;
        boolean smtpUtf8 = false;
        for (Map.Entry<String, String> parameter : parsed.parameters().entrySet()) {
            String value = parameter.getValue();
            switch (parameter.getKey()) {
                case "SIZE" -> {
                    size = parseSize(value);
                    if (size < 0) {
                        session.reply(Replies.BAD_SIZE);
                        return null;
                    }
                    if (size > session.settings().maxMessageSize()) {
                        session.reply(session.settings().replies().sizeExceeded());
                        return null;
                    }
                }
                case "BODY" -> {
                    bodyType = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!bodyType.equals("7BIT") && !bodyType.equals("8BITMIME")) {
                        session.reply(Replies.BAD_BODY);
                        return null;
                    }
                }
                case "SMTPUTF8" -> {
                    if (!session.settings().replies().offersSmtpUtf8()) {
                        session.reply(Replies.unsupportedParameter("SMTPUTF8"));
                        return null;
                    }
                    if (value != null) {
                        session.reply(Replies.PARAMETER_SYNTAX);
                        return null;
                    }
                    smtpUtf8 = true;
                }
                case "AUTH" -> {
                    // RFC 4954 §5: the identity a relaying server vouches for. We trust our own AUTH only.
                }
                default -> {
                    session.reply(Replies.unsupportedParameter(parameter.getKey()));
                    return null;
                }
            }
        }
        MailAddress sender = parsed.path().isEmpty() ? MailAddress.nullSender() : address(parsed.path(), smtpUtf8);
        if (sender == null) {
            session.reply(!smtpUtf8 && address(parsed.path(), true) != null ? Replies.NEED_SMTPUTF8 : Replies.BAD_SENDER);
            return null;
        }
        return new MailParameters(sender, bodyType, size, smtpUtf8);
    }

    /** The mailbox, or null when it is not one (UTF-8 only with SMTPUTF8). */
    static MailAddress address(String path, boolean utf8) {
        try {
            return MailAddress.parse(path, utf8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static long parseSize(String value) {
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(value);
    }
}
