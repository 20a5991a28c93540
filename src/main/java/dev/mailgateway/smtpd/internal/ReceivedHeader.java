package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.MailAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The RFC 5321 §4.4 trace header we prepend. "for" names the recipient only when there is exactly one, so a Bcc
 * recipient is never revealed to the others.
 */
final class ReceivedHeader {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);
    private static final int MAX_HELO = 255;

    private ReceivedHeader() {
    }

    static String build(String hostname, IncomingMessage.Trace trace, String queueId, MailAddress onlyRecipient,
            ZonedDateTime when) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("Received: from ").append(sanitize(trace.helo(), false)).append(" (")
                .append(addressLiteral(trace.client())).append(")\r\n");
        if (trace.tls() != null) {
            sb.append("\t(using ").append(trace.tls().protocol()).append(" with cipher ").append(trace.tls().cipher())
                    .append(")\r\n");
        }
        sb.append("\tby ").append(hostname).append(" with ").append(trace.protocol()).append(" id ").append(queueId);
        if (onlyRecipient != null) {
            sb.append("\r\n\tfor <").append(sanitize(onlyRecipient.toString(), trace.smtpUtf8())).append(">; ");
        } else {
            sb.append(";\r\n\t");
        }
        return sb.append(DATE.format(when)).append("\r\n").toString();
    }

    static String addressLiteral(InetSocketAddress client) {
        String ip = client.getAddress().getHostAddress();
        int scope = ip.indexOf('%');
        if (scope >= 0) {
            ip = ip.substring(0, scope);
        }
        return client.getAddress() instanceof Inet6Address ? "[IPv6:" + ip + "]" : "[" + ip + "]";
    }

    /**
     * The client chose these words: keep them to printable characters without comment parentheses, ASCII unless
     * the message travels under SMTPUTF8 (RFC 6531 lets its trace fields carry UTF-8).
     */
    private static String sanitize(String text, boolean utf8) {
        if (text == null || text.isEmpty()) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_HELO));
        for (int i = 0; i < text.length() && i < MAX_HELO; i++) {
            char c = text.charAt(i);
            boolean ascii = c > 32 && c < 127 && c != '(' && c != ')';
            boolean unicode = utf8 && c >= 0x80 && !Character.isISOControl(c) && !Character.isWhitespace(c);
            sb.append(ascii || unicode ? c : '?');
        }
        return sb.toString();
    }
}
