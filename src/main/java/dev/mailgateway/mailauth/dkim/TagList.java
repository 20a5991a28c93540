package dev.mailgateway.mailauth.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tag=value list (RFC 6376 §3.2), the syntax of both the DKIM-Signature field and the key record. Values keep
 * their inner whitespace (b= and p= are folded base64, h= has FWS around its colons); whitespace around them is
 * dropped. The text is a header field's octets as ISO-8859-1, one char per octet, so that offsets are octet
 * offsets and UTF-8 values (RFC 8616) come through unchanged.
 */
final class TagList {

    private final Map<String, String> values;
    private final Map<String, int[]> spans;

    private TagList(Map<String, String> values, Map<String, int[]> spans) {
        this.values = Collections.unmodifiableMap(values);
        this.spans = spans;
    }

    /**
     * @param text  the list, e.g. a header field's value
     * @param from  where the list starts in {@code text}
     * @throws DkimException (PERMERROR) on a tag without "=", a malformed tag name, a control character in a value,
     *                       or a tag given twice
     */
    static TagList parse(String text, int from) throws DkimException {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, int[]> spans = new LinkedHashMap<>();
        int start = from;
        while (start <= text.length()) {
            int end = text.indexOf(';', start);
            if (end < 0) {
                end = text.length();
            }
            int equals = text.indexOf('=', start);
            if (equals < 0 || equals > end) {
                // an empty spec: the grammar allows one after the last ";", and ";;" misleads nobody either
                if (!isBlank(text, start, end)) {
                    throw new DkimException(DkimResult.Result.PERMERROR, "tag without '=': "
                            + shown(text.substring(start, end)));
                }
            } else {
                String name = strip(text, start, equals);
                if (!isTagName(name)) {
                    throw new DkimException(DkimResult.Result.PERMERROR, "bad tag name: " + shown(name));
                }
                String value = strip(text, equals + 1, end);
                checkValue(name, value);
                if (values.putIfAbsent(name, value) != null) {
                    throw new DkimException(DkimResult.Result.PERMERROR, "tag " + name + "= given twice");
                }
                spans.put(name, new int[] {equals + 1, end});
            }
            start = end + 1;
        }
        return new TagList(values, spans);
    }

    /** The value of the tag (tag names are case-sensitive), or null when the tag is absent. */
    String get(String name) {
        return values.get(name);
    }

    Map<String, String> asMap() {
        return values;
    }

    /**
     * Where the tag's value, with the whitespace around it, lies in the parsed text: from just after its "=" to its
     * ";" (or the end). The signature's own field is hashed with exactly that span of b= removed.
     */
    int[] span(String name) {
        int[] span = spans.get(name);
        return span == null ? null : span.clone();
    }

    /** The value without any whitespace (folded base64). */
    static String unfolded(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** SP, HTAB and the CR LF of a fold: the whitespace FWS is made of. */
    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static void checkValue(String name, String value) throws DkimException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // VALCHAR is %x21-3A / %x3C-7E; octets over 0x7F are UTF-8 (RFC 8616); the rest must be FWS
            if (c < 0x21 && !isWhitespace(c) || c == 0x7F) {
                throw new DkimException(DkimResult.Result.PERMERROR, "control character in tag " + name + "=");
            }
        }
    }

    private static boolean isTagName(String name) {
        if (name.isEmpty() || !isAlpha(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static String strip(String text, int start, int end) {
        while (start < end && isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isBlank(String text, int start, int end) {
        return strip(text, start, end).isEmpty();
    }

    /** For reasons: at most 40 characters, without line breaks. */
    static String shown(String text) {
        String flat = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return flat.length() > 40 ? flat.substring(0, 40) + "..." : flat;
    }
}
