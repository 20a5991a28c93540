package dev.mailgateway.mail;

/**
 * Text that a client or a remote server chose (a HELO name, an AUTH user name, an address, a next hop's reply),
 * made safe to print on one line of a log or a terminal: it can neither start a line that looks like ours nor send
 * the terminal an escape sequence. C0 controls, DEL and C1 controls are written as {@code \r}, {@code \n},
 * {@code \t}, {@code \x1b}, {@code \u009b}; so are the Unicode line separators and the bidirectional overrides
 * (they make a line read differently from what it says) and lone surrogates. Other text, non-ASCII included, is
 * kept as it is.
 */
public final class Printable {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    /**
     * Text from elsewhere (a next hop's reply, a DNS record) made fit for one of our SMTP replies: printable ASCII
     * only (anything else becomes '?', CR and LF included, so it cannot end the line), at most {@code max}
     * characters. Null becomes the empty string.
     */
    public static String replyText(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /**
     * The text with controls escaped and backslashes doubled, so what is printed tells exactly what was sent
     * ({@code \n} from a newline, {@code \\n} from a backslash and an n). Null stays null; text with nothing to
     * escape comes back as it is, without a copy.
     */
    public static String escape(String text) {
        return escape(text, true);
    }

    /**
     * Only the controls escaped, backslashes left alone: for the last line of defence, where the text may have
     * been escaped already and must not be escaped twice.
     */
    public static String escapeControls(String text) {
        return escape(text, false);
    }

    private static String escape(String text, boolean backslash) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        int i = 0;
        while (i < length && !needsEscape(text, i, backslash)) {
            i++;
        }
        if (i == length) {
            return text;
        }
        StringBuilder sb = new StringBuilder(length + 16).append(text, 0, i);
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (!needsEscape(text, i, backslash)) {
                sb.append(c);
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x80) {
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(String text, int i, boolean backslash) {
        char c = text.charAt(i);
        if (c >= 0x20 && c < 0x7f) {
            return backslash && c == '\\';
        }
        if (c <= 0x9f) {
            return true; // C0, DEL, C1
        }
        if (c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }
}
