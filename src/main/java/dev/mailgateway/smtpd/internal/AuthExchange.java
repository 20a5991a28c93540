package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One SASL exchange after AUTH (RFC 4954): PLAIN (RFC 4616) or LOGIN, each answer a base64 line. The client may
 * give the first answer with the command (initial response, "=" for empty) and may cancel with "*". Once the
 * credentials are complete they go to the session to be checked.
 */
public final class AuthExchange {

    private static final SmtpReply EMPTY_CHALLENGE = SmtpReply.withoutStatus(334, "");
    private static final SmtpReply USERNAME = SmtpReply.withoutStatus(334, "VXNlcm5hbWU6"); // "Username:"
    private static final SmtpReply PASSWORD = SmtpReply.withoutStatus(334, "UGFzc3dvcmQ6"); // "Password:"

    private final String mechanism;
    private String user;

    private AuthExchange(String mechanism) {
        this.mechanism = mechanism;
    }

    /**
     * Starts PLAIN or LOGIN; the caller checked the mechanism name.
     *
     * @param initialResponse what followed the mechanism on the AUTH line, or null
     */
    public static void start(SmtpSession session, String mechanism, String initialResponse) {
        AuthExchange exchange = new AuthExchange(mechanism);
        if (initialResponse != null) {
            exchange.answer(session, initialResponse);
            return;
        }
        session.beginAuth(exchange);
        session.reply(mechanism.equals("PLAIN") ? EMPTY_CHALLENGE : USERNAME);
    }

    /** The client's next line. */
    void line(SmtpSession session, String line) {
        answer(session, line);
    }

    private void answer(SmtpSession session, String line) {
        String text = line.strip();
        if (text.equals("*")) {
            session.endAuth(Replies.AUTH_ABORTED);
            return;
        }
        byte[] decoded;
        try {
            decoded = text.equals("=") ? new byte[0] : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            session.endAuth(Replies.AUTH_UNDECODABLE);
            return;
        }
        String value = new String(decoded, StandardCharsets.UTF_8);
        if (mechanism.equals("PLAIN")) {
            plain(session, value);
        } else if (user == null) {
            user = value;
            session.beginAuth(this);
            session.reply(PASSWORD);
        } else {
            session.verify(mechanism, user, value);
        }
    }

    /** authzid NUL authcid NUL password; acting for someone else (an authzid other than the user) is refused. */
    private void plain(SmtpSession session, String value) {
        String[] parts = value.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            session.endAuth(Replies.AUTH_UNDECODABLE);
            return;
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            session.endAuth(Replies.AUTH_FAILED);
            return;
        }
        session.verify(mechanism, parts[1], parts[2]);
    }
}
