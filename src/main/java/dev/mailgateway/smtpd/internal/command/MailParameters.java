package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.smtpd.internal.PathArgument;
import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;
import java.util.Locale;
import java.util.Map;

/** The sender and ESMTP parameters of MAIL FROM, checked; any problem is answered here. */
record MailParameters(MailAddress sender, String bodyType, long size) {

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
        MailAddress sender;
        try {
            sender = parsed.path().isEmpty() ? MailAddress.nullSender() : MailAddress.parse(parsed.path(), false);
        } catch (IllegalArgumentException e) {
            session.reply(Replies.BAD_SENDER);
            return null;
        }
        long size = 0;
        String bodyType = null;
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
                default -> {
                    session.reply(Replies.unsupportedParameter(parameter.getKey()));
                    return null;
                }
            }
        }
        return new MailParameters(sender, bodyType, size);
    }

    private static long parseSize(String value) {
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(value);
    }
}
