package dev.mailgateway.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Edits a message's header section as bytes: fields are removed, added on top or have their value rewritten, and
 * every field not touched keeps its bytes exactly (folding, encoded words, 8-bit text, odd spacing). No MIME
 * parsing, no re-encoding: what a DKIM signature or a reader downstream sees changes only where we meant it to.
 * Text we add is ours (ASCII, folded at 78 columns where it can be).
 */
public final class HeaderEditor {

    /** One field as it was: its name (as written) and all its bytes, continuation lines and final CRLF included. */
    private record Field(String name, byte[] raw) {
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
        changed |= fields.removeIf(f -> lowerCaseName.test(f.name().toLowerCase(Locale.ROOT)));
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
            Field field = fields.get(i);
            if (field.name().equalsIgnoreCase(name)) {
                String raw = new String(field.raw(), StandardCharsets.ISO_8859_1);
                int colon = raw.indexOf(':');
                String rewritten = raw.substring(0, colon + 1) + rawValue.apply(value(raw)) + "\r\n";
                fields.set(i, new Field(field.name(), rewritten.getBytes(StandardCharsets.ISO_8859_1)));
                changed = true;
                return true;
            }
        }
        return false;
    }

    /**
     * The raw value of the first field of this name, as {@link #rewriteFirst} gives it (folding and encoded words
     * as written, ISO-8859-1 for bytes over 127), or null when there is none.
     */
    public String first(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return value(new String(field.raw(), StandardCharsets.ISO_8859_1));
            }
        }
        return null;
    }

    /** After the colon, without the final CRLF. */
    private static String value(String raw) {
        return raw.substring(raw.indexOf(':') + 1, raw.endsWith("\r\n") ? raw.length() - 2 : raw.length());
    }

    /** Whether a field of this name is present (case-insensitive). */
    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(name));
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

    /** Folds a field of ours at spaces or after commas so no line passes 78 characters where that is possible. */
    static String fold(String field) {
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
                // break after the last comma or before the last space; a continuation line starts with a tab
                int at = lastBreak;
                if (out.charAt(at - 1) == ' ') {
                    out.setCharAt(at - 1, '\r');
                    out.insert(at, "\n\t");
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

    private static String name(byte[] header, int start, int stop) {
        int i = start;
        while (i < stop && header[i] != ':' && header[i] != '\r' && header[i] != '\n') {
            i++;
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
