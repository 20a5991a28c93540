package dev.mailgateway.mail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply: a three-digit code, an RFC 3463 enhanced status code (absent only where RFC 2034 leaves it out:
 * the greeting, the EHLO/HELO answer and 354) and one or more lines of text. Immutable; the wire form is encoded
 * once, so constant replies cost nothing to send.
 */
public final class SmtpReply {

    private static final Pattern ROUTE_REPLY = Pattern.compile("([45])(\\d\\d) ([45])\\.(\\d{1,3})\\.(\\d{1,3}) (.+)");

    private final int code;
    private final String status;
    private final List<String> lines;
    private final byte[] wire;

    private SmtpReply(int code, String status, List<String> lines) {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        this.code = code;
        this.status = status;
        this.lines = List.copyOf(lines);
        this.wire = encode();
    }

    /** A one-line reply {@code code status text}. */
    public static SmtpReply of(int code, String status, String text) {
        return new SmtpReply(code, status, List.of(oneLine(text)));
    }

    /** A one-line reply without an enhanced status code (greeting, 354). */
    public static SmtpReply withoutStatus(int code, String text) {
        return new SmtpReply(code, null, List.of(oneLine(text)));
    }

    /** A multi-line reply (EHLO, HELP): {@code code-line} for all but the last line. */
    public static SmtpReply multiline(int code, String status, List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs a line");
        }
        return new SmtpReply(code, status, lines.stream().map(SmtpReply::oneLine).toList());
    }

    /**
     * Parses a refusal that a route gives ({@code "550 5.7.1 Sender not welcome"}): one line, a 4xx or 5xx code
     * and an enhanced status code of the same class.
     *
     * @throws IllegalArgumentException when the text is not such a reply
     */
    public static SmtpReply parseRefusal(String text) {
        Matcher m = text == null ? null : ROUTE_REPLY.matcher(text.strip());
        if (m == null || !m.matches() || !m.group(1).equals(m.group(3)) || text.indexOf('\r') >= 0
                || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("not a one-line 4xx/5xx reply with a matching enhanced code: " + text);
        }
        return refusal(Integer.parseInt(m.group(1) + m.group(2)), m.group(3) + "." + m.group(4) + "." + m.group(5),
                m.group(6));
    }

    /**
     * A 4xx/5xx reply built from parts, checked as {@link #parseRefusal} checks text.
     *
     * @throws IllegalArgumentException when the parts do not make such a reply
     */
    public static SmtpReply refusal(int code, String status, String text) {
        if (code < 400 || code > 599 || status == null || !status.matches("[45]\\.\\d{1,3}\\.\\d{1,3}")
                || status.charAt(0) != Integer.toString(code).charAt(0) || text == null || text.isBlank()
                || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("not a 4xx/5xx reply with a matching enhanced code: "
                    + code + " " + status + " " + text);
        }
        return of(code, status, text);
    }

    /** Keeps a reply on its line: control characters a caller let through would split it. */
    private static String oneLine(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 32 || c == 127) {
                if (sb == null) {
                    sb = new StringBuilder(text);
                }
                sb.setCharAt(i, ' ');
            }
        }
        return sb == null ? text : sb.toString();
    }

    private byte[] encode() {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) {
                sb.append(status).append(' ');
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public int code() {
        return code;
    }

    /** The enhanced status code, e.g. {@code 5.7.1}, or null. */
    public String status() {
        return status;
    }

    /** The text of the last line. */
    public String text() {
        return lines.get(lines.size() - 1);
    }

    public List<String> lines() {
        return lines;
    }

    public boolean isPositive() {
        return code < 400;
    }

    /** 4xx: try again later. */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    /** 421 tells the client the server closes the connection; the session does so after sending it. */
    public boolean closesConnection() {
        return code == 421;
    }

    /** The reply as it goes on the wire, CRLF-terminated lines. Do not modify. */
    public byte[] wire() {
        return wire;
    }

    @Override
    public String toString() {
        return new String(wire, StandardCharsets.UTF_8).strip().replace("\r\n", " / ");
    }
}
