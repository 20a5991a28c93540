package dev.mailgateway.filter.engine;

import java.nio.charset.StandardCharsets;

/** The text of failures' messages: printable and bounded. */
final class RspamdFailures {

    private RspamdFailures() {
    }

    /** The start of a reply body, for a failure's message: nothing for an empty body. */
    static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        return ": " + printable(new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8), 200);
    }

    /** For a log line or a failure's message: no control characters, bounded. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString().strip();
    }
}
