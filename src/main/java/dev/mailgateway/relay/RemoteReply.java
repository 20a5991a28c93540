package dev.mailgateway.relay;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply from a next hop: the code, the enhanced status code when the server gave one, the text (the lines of a
 * multi-line reply joined). Or our own word for what went wrong locally, in the same form.
 */
public record RemoteReply(int code, String status, String text) {

    private static final Pattern STATUS = Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s+(.*))?", Pattern.DOTALL);

    static RemoteReply parse(int code, String text) {
        Matcher m = STATUS.matcher(text);
        if (m.matches() && m.group(1).charAt(0) == Integer.toString(code).charAt(0)) {
            return new RemoteReply(code, m.group(1), m.group(2) == null ? "" : m.group(2));
        }
        return new RemoteReply(code, null, text);
    }

    /** 2xx, positive completion (RFC 5321 §4.2.1): what the server did is done. */
    public boolean isPositive() {
        return code >= 200 && code < 300;
    }

    /** 5xx: the server will not do it, now or later. */
    public boolean isPermanent() {
        return code >= 500;
    }

    /** The enhanced status code, or one that fits the code class when the server gave none. */
    public String dsnStatus() {
        return status != null ? status : (code / 100) + ".0.0";
    }

    @Override
    public String toString() {
        return code + (status == null ? "" : " " + status) + (text.isEmpty() ? "" : " " + text);
    }
}
