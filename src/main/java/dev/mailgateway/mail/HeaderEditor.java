package dev.mailgateway.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Edits a message's header section as bytes: fields are removed, added on top or have their value rewritten, and
 * every field not touched keeps its bytes exactly (folding, encoded words, 8-bit text, odd spacing). No MIME
 * parsing, no re-encoding: what a DKIM signature or a reader downstream sees changes only where we meant it to.
 * Text we add is ours (ASCII, or UTF-8 in SMTPUTF8 messages; folded at 78 columns where it can be).
 */
public final class HeaderEditor {

    /**
     * One field as it was: its name (as written) and all its bytes, continuation lines and final CRLF included. A
     * line without a colon (not a field, but kept as it is) has a null name.
     */
    private record Field(String name, byte[] raw) {

        boolean named(String other) {
            return name != null && name.equalsIgnoreCase(other);
        }

        String rawValue() {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int colon = text.indexOf(':');
            return text.substring(colon + 1, text.endsWith("\r\n") ? text.length() - 2 : text.length());
        }
    }

    private final List<Field> fields = new ArrayList<>();
    private final List<byte[]> added = new ArrayList<>();
    /** What followed the fields: the empty line (CRLF), or nothing when the message has no body. */
    private final byte[] end;
    private boolean changed;

    /** @param header the header section with the empty line that ends it, as {@link MessageBytes#headerSection} reads it */
    public HeaderEditor(byte[] header) {
        int start = 0;
        while (start < header.length) {
            if (header[start] == '\r' && start + 1 < header.length && header[start + 1] == '\n') {
                break; // the empty line
            }
            int stop = fieldEnd(header, start);
            fields.add(new Field(name(header, start, stop), java.util.Arrays.copyOfRange(header, start, stop)));
            start = stop;
        }
        end = java.util.Arrays.copyOfRange(header, start, header.length);
    }

    /** Removes every field whose name (case-insensitive, as given to the predicate in lower case) matches. */
    public HeaderEditor remove(Predicate<String> lowerCaseName) {
        changed |= fields.removeIf(f -> f.name() != null && lowerCaseName.test(f.name().toLowerCase(Locale.ROOT)));
        return this;
    }

    /**
     * Removes the fields the test picks. It is asked once for each field, in header order (so it may count), with
     * the lower-case name and the raw value as {@link #rewriteFirst} gives it.
     */
    public HeaderEditor removeIf(BiPredicate<String, String> lowerCaseNameAndRawValue) {
        int before = fields.size();
        List<Field> kept = new ArrayList<>(before);
        for (Field field : fields) {
            if (field.name() == null
                    || !lowerCaseNameAndRawValue.test(field.name().toLowerCase(Locale.ROOT), field.rawValue())) {
                kept.add(field);
            }
        }
        fields.clear();
        fields.addAll(kept);
        changed |= kept.size() != before;
        return this;
    }

    /** Removes every field of these names (case-insensitive). */
    public HeaderEditor remove(String... names) {
        List<String> lower = new ArrayList<>();
        for (String name : names) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        return remove(lower::contains);
    }

    /** Adds a field on top (fields added later go below ones added earlier), folded where it is long. */
    public HeaderEditor add(String name, String value) {
        added.add(fold(name + ": " + value).getBytes(StandardCharsets.UTF_8));
        changed = true;
        return this;
    }

    /**
     * Rewrites the value of the first field of this name: the function gets the raw value after the colon
     * (leading space, folding and encoded words as written, ISO-8859-1 for bytes over 127 so they survive) without
     * the final CRLF, and returns the new raw value. Returns false when there is no such field.
     */
    public boolean rewriteFirst(String name, UnaryOperator<String> rawValue) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).named(name)) {
                rewrite(i, rawValue);
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #rewriteFirst}, for every field of this name (a message may have two To fields, however wrong);
     * a field whose value comes back the same keeps its bytes. Returns how many fields had the name.
     */
    public int rewriteAll(String name, UnaryOperator<String> rawValue) {
        int count = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).named(name)) {
                rewrite(i, rawValue);
                count++;
            }
        }
        return count;
    }

    /** Rewrites field i's raw value; the same value keeps the field's bytes, line ending and all. */
    private void rewrite(int i, UnaryOperator<String> rawValue) {
        Field field = fields.get(i);
        String value = field.rawValue();
        String newValue = rawValue.apply(value);
        if (!newValue.equals(value)) {
            String raw = new String(field.raw(), StandardCharsets.ISO_8859_1);
            String rewritten = raw.substring(0, raw.indexOf(':') + 1) + newValue + "\r\n";
            fields.set(i, new Field(field.name(), rewritten.getBytes(StandardCharsets.ISO_8859_1)));
            changed = true;
        }
    }

    /** The raw value of the first field of this name (as {@link #rewriteFirst} gives it), or null when none. */
    public String firstValue(String name) {
        for (Field field : fields) {
            if (field.named(name)) {
                return field.rawValue();
            }
        }
        return null;
    }

    /** Whether a field of this name is present (case-insensitive). */
    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.named(name));
    }

    public boolean changed() {
        return changed;
    }

    /** The edited header section, the empty line included. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + fields.size() * 64);
        added.forEach(out::writeBytes);
        fields.forEach(f -> out.writeBytes(f.raw()));
        out.writeBytes(end);
        return out.toByteArray();
    }

    /**
     * Folds a field of ours at spaces or after commas so no line passes 78 characters where that is possible;
     * the result ends with CRLF.
     */
    public static String fold(String field) {
        StringBuilder out = new StringBuilder(field.length() + 16);
        int lineStart = 0;
        int lastBreak = -1;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            out.append(c);
            if (c == ' ' && i > field.indexOf(':') + 1 || c == ',') {
                lastBreak = out.length();
            }
            if (out.length() - lineStart > 78 && lastBreak > lineStart) {
                // break before the last space (which starts the continuation line, so the value unfolds to what
                // it was) or after the last comma (a tab starts the continuation line)
                int at = lastBreak;
                if (out.charAt(at - 1) == ' ') {
                    out.insert(at - 1, "\r\n");
                    at += 2;
                } else {
                    out.insert(at, "\r\n\t");
                    at += 3;
                }
                lineStart = at - 1;
                lastBreak = -1;
            }
        }
        return out.append("\r\n").toString();
    }

    /** The field's name as written, or null for a line without a colon. */
    private static String name(byte[] header, int start, int stop) {
        int i = start;
        while (i < stop && header[i] != ':' && header[i] != '\r' && header[i] != '\n') {
            i++;
        }
        if (i >= stop || header[i] != ':') {
            return null;
        }
        return new String(header, start, i - start, StandardCharsets.ISO_8859_1).strip();
    }

    /** Where the field starting at {@code start} ends: after the CRLF of its last line (continuations start with WSP). */
    static int fieldEnd(byte[] header, int start) {
        int i = start;
        while (true) {
            while (i < header.length && header[i] != '\n') {
                i++;
            }
            i = Math.min(i + 1, header.length);
            if (i >= header.length || (header[i] != ' ' && header[i] != '\t')) {
                return i;
            }
        }
    }
}
