package dev.mailgateway.mail;

import java.nio.charset.StandardCharsets;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.EncoderUtil;

/**
 * Text the gateway writes into header fields: names checked against RFC 5322, values checked for what would split
 * or corrupt a field, and non-ASCII text as RFC 2047 encoded words unless the message travels under SMTPUTF8
 * (RFC 6532 lets it carry UTF-8 as it is).
 */
public final class HeaderText {

    /** The longest field name we write: "Name: " and a first word still fit in 78 characters. */
    public static final int MAX_NAME = 76;
    /** mime4j's own bound on the columns already used before an encoded word. */
    private static final int MAX_USED = 50;

    private HeaderText() {
    }

    /** Whether this is a field name (RFC 5322 §3.6.8 ftext: printable ASCII but the colon) we would write. */
    public static boolean isFieldName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || c == ':') {
                return false;
            }
        }
        return true;
    }

    /**
     * What is wrong with this as a field value, or null when nothing is: a line break would end the field and let
     * the rest pose as a field of its own (header injection); other control characters have no place in a field.
     */
    public static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                return "has a line break (CR or LF)";
            }
            if (c < 32 && c != '\t' || c == 127) {
                return String.format("has the control character U+%04X", (int) c);
            }
        }
        return null;
    }

    /**
     * The value as it is written after {@code name + ": "}: as given when it is ASCII or the message is SMTPUTF8;
     * otherwise each run of words with non-ASCII characters becomes encoded words (UTF-8) and ASCII words stay
     * readable. Runs, not single words: white space between two encoded words is dropped by readers, so words
     * next to each other are encoded together to keep the space between them. Works for unstructured fields and
     * display names (RFC 2047 §5 (1) and (3)); not inside quoted strings.
     */
    public static String encode(String value, int usedColumns, boolean smtpUtf8) {
        if (smtpUtf8 || isAscii(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() * 3);
        int i = 0;
        while (i < value.length()) {
            int wordStart = i;
            int wordEnd = wordEnd(value, i);
            if (isAscii(value.substring(wordStart, wordEnd))) {
                i = spaceEnd(value, wordEnd);
                out.append(value, wordStart, i);
                continue;
            }
            int runEnd = wordEnd; // take the words that follow while they are not ASCII, with the space between
            int next = spaceEnd(value, runEnd);
            while (next < value.length() && !isAscii(value.substring(next, wordEnd(value, next)))) {
                runEnd = wordEnd(value, next);
                next = spaceEnd(value, runEnd);
            }
            out.append(encodedWords(value.substring(wordStart, runEnd), wordStart == 0 ? usedColumns : 0));
            out.append(value, runEnd, next);
            i = next;
        }
        return out.toString();
    }

    /**
     * The text as encoded words (UTF-8, Q or B, whichever is shorter), each at most 75 characters, separated by a
     * space: readers join them without it. White space in the text is encoded too, so it is kept.
     */
    public static String encodedWords(String text, int usedColumns) {
        return EncoderUtil.encodeEncodedWord(text, EncoderUtil.Usage.TEXT_TOKEN, Math.min(usedColumns, MAX_USED),
                StandardCharsets.UTF_8, null);
    }

    /**
     * A raw field value (as {@link HeaderEditor#rewriteFirst} gives it: octets as ISO-8859-1) as a reader shows it:
     * unfolded, 8-bit octets read as UTF-8, encoded words decoded, white space at the ends stripped.
     */
    public static String decode(String rawValue) {
        String unfolded = rawValue.replace("\r\n", "");
        String text = new String(unfolded.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return DecoderUtil.decodeEncodedWords(text, DecodeMonitor.SILENT).strip();
    }

    /** Whether the raw value starts with an encoded word ({@code =?charset?...}), leading white space aside. */
    public static boolean startsWithEncodedWord(String rawValue) {
        return rawValue.stripLeading().startsWith("=?");
    }

    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 127) {
                return false;
            }
        }
        return true;
    }

    private static int wordEnd(String text, int from) {
        int i = from;
        while (i < text.length() && !isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int spaceEnd(String text, int from) {
        int i = from;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
