package dev.mailgateway.edit.address;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the addr-specs of an RFC 5322 address list are in a field's raw value (folded, comments and encoded
 * words as written): for each mailbox, the addr-spec inside its angle brackets, or the whole mailbox when it has
 * none, without the comments and blanks around it. Everything else — display names, comments, group names — is
 * outside the spans, so replacing a span changes the address and nothing else. Only the lexical structure is
 * followed (comments, quoted strings, domain literals, angle brackets, groups); whether the field is a valid
 * address list is for mime4j's parser to say ({@link AddressField} asks both and compares).
 */
final class AddressSpans {

    /**
     * @param address the addr-spec as text: comments, blanks and line folds between its parts taken out (the
     *                value's characters, as {@link AddressField} reads them)
     */
    record Span(int start, int end, String address) {
    }

    /** The value does not have the lexical shape of an address list. No stack trace: it is expected. */
    private static final class Unparsable extends Exception {
        Unparsable() {
            super(null, null, false, false);
        }
    }

    private final String text;
    private final List<Span> spans = new ArrayList<>();
    private int first = -1;
    private int last = -1;
    private Span angle;
    private boolean inGroup;

    private AddressSpans(String text) {
        this.text = text;
    }

    /** The spans in order, or null when the value cannot be an address list. */
    static List<Span> find(String value) {
        try {
            return new AddressSpans(value).scan();
        } catch (Unparsable e) {
            return null;
        }
    }

    private List<Span> scan() throws Unparsable {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            switch (c) {
                case ',' -> {
                    endMailbox();
                    i++;
                }
                case ':' -> { // what came before was a group's name
                    if (inGroup || angle != null) {
                        throw new Unparsable();
                    }
                    first = -1;
                    inGroup = true;
                    i++;
                }
                case ';' -> {
                    if (!inGroup) {
                        throw new Unparsable();
                    }
                    endMailbox();
                    inGroup = false;
                    i++;
                }
                case '<' -> {
                    int close = angleEnd(i);
                    if (angle != null) {
                        throw new Unparsable();
                    }
                    angle = addrSpecIn(i + 1, close);
                    i = content(i, close + 1);
                }
                case '>', ')' -> throw new Unparsable();
                default -> i = isBlankOrComment(i) ? unitEnd(i) : content(i, unitEnd(i));
            }
        }
        endMailbox();
        return spans;
    }

    private int content(int from, int to) {
        if (first < 0) {
            first = from;
        }
        last = to;
        return to;
    }

    private void endMailbox() throws Unparsable {
        if (angle != null) {
            spans.add(angle);
        } else if (first >= 0) {
            spans.add(span(first, last));
        }
        first = -1;
        angle = null;
    }

    /** The addr-spec between angle brackets, after any obsolete route ({@code <@relay.example:user@host>}). */
    private Span addrSpecIn(int from, int to) throws Unparsable {
        int start = -1;
        int end = -1;
        for (int i = from; i < to; ) {
            int next = unitEnd(i);
            if (!isBlankOrComment(i)) {
                if (start < 0 && text.charAt(i) == '@') { // a route: the addr-spec starts after its colon
                    int colon = text.indexOf(':', i);
                    if (colon < 0 || colon > to) {
                        throw new Unparsable();
                    }
                    next = colon + 1;
                } else {
                    start = start < 0 ? i : start;
                    end = next;
                }
            }
            i = next;
        }
        if (start < 0) {
            throw new Unparsable(); // <>: no address
        }
        return span(start, end);
    }

    /** The index of the '>' closing the '<' at {@code open}. */
    private int angleEnd(int open) throws Unparsable {
        for (int i = open + 1; i < text.length(); i = unitEnd(i)) {
            char c = text.charAt(i);
            if (c == '>') {
                return i;
            }
            if (c == '<') {
                throw new Unparsable();
            }
        }
        throw new Unparsable();
    }

    private boolean isBlankOrComment(int i) {
        char c = text.charAt(i);
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '(';
    }

    /** Where the lexical unit at {@code i} ends: a comment, a quoted string, a domain literal, or one character. */
    private int unitEnd(int i) throws Unparsable {
        char c = text.charAt(i);
        if (c == '"') {
            return closing(i, '"');
        }
        if (c == '[') {
            return closing(i, ']');
        }
        if (c != '(') {
            return i + 1;
        }
        int depth = 0;
        for (int j = i; j < text.length(); j++) {
            char d = text.charAt(j);
            if (d == '\\') {
                j++;
            } else if (d == '(') {
                depth++;
            } else if (d == ')' && --depth == 0) {
                return j + 1;
            }
        }
        throw new Unparsable();
    }

    private int closing(int open, char close) throws Unparsable {
        for (int j = open + 1; j < text.length(); j++) {
            char d = text.charAt(j);
            if (d == '\\') {
                j++;
            } else if (d == close) {
                return j + 1;
            }
        }
        throw new Unparsable();
    }

    /** The span, its address read without the comments, blanks and folds inside it (those of quoted text kept). */
    private Span span(int start, int end) throws Unparsable {
        StringBuilder address = new StringBuilder(end - start);
        for (int i = start; i < end; ) {
            int next = unitEnd(i);
            if (!isBlankOrComment(i)) {
                address.append(text, i, next);
            }
            i = next;
        }
        return new Span(start, end, address.toString().replace("\r\n", "").replace("\n", ""));
    }
}
