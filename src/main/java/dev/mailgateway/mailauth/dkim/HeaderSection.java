package dev.mailgateway.mailauth.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A message's header section, read from its stream up to the empty line and no further (the stream is left at the
 * body's first octet), with a bound on its size. Lines end in CRLF here whatever they ended in (a bare LF counts as
 * a line end, as the canonicalizations see lines), and fields keep their folding: both canonicalizations start from
 * the octets as received.
 */
final class HeaderSection {

    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] bytes;
    private final int[] starts; // field i is bytes[starts[i], starts[i + 1]), its last CRLF included
    private final boolean truncated;

    private HeaderSection(byte[] bytes, int[] starts, boolean truncated) {
        this.bytes = bytes;
        this.starts = starts;
        this.truncated = truncated;
    }

    /**
     * Reads octet by octet: give it a buffered stream.
     *
     * @param maxBytes past this many octets the section is {@link #truncated()}: the fields complete by then are
     *                 kept, the one being read is dropped, and the stream is left where reading stopped
     */
    static HeaderSection read(InputStream in, int maxBytes) throws IOException {
        Buffer out = new Buffer();
        List<Integer> starts = new ArrayList<>();
        int read = 0;
        while (true) {
            int lineStart = out.size;
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (++read > maxBytes) {
                    return truncated(out, starts);
                }
                out.add((byte) b);
            }
            if (b == '\n' && ++read > maxBytes) {
                return truncated(out, starts);
            }
            if (out.size > lineStart && out.bytes[out.size - 1] == '\r' && b == '\n') {
                out.size--; // the CR of CRLF: the line's end, not its content
            }
            if (out.size == lineStart) { // the empty line that ends the section, or the end of the message
                return complete(out, starts);
            }
            byte first = out.bytes[lineStart];
            if (starts.isEmpty() || first != ' ' && first != '\t') {
                starts.add(lineStart); // a new field; a line starting with WSP continues the one before
            }
            out.add((byte) '\r');
            out.add((byte) '\n');
            if (b < 0) {
                return complete(out, starts);
            }
        }
    }

    private static HeaderSection complete(Buffer out, List<Integer> starts) {
        int[] bounds = new int[starts.size() + 1];
        for (int i = 0; i < starts.size(); i++) {
            bounds[i] = starts.get(i);
        }
        bounds[starts.size()] = out.size;
        return new HeaderSection(Arrays.copyOf(out.bytes, out.size), bounds, false);
    }

    private static HeaderSection truncated(Buffer out, List<Integer> starts) {
        // the last field may have had more continuation lines to come: only those before it are known whole
        int end = starts.isEmpty() ? 0 : starts.remove(starts.size() - 1);
        out.size = end;
        HeaderSection section = complete(out, starts);
        return new HeaderSection(section.bytes, section.starts, true);
    }

    /** More than the allowed octets came before the empty line. */
    boolean truncated() {
        return truncated;
    }

    int size() {
        return starts.length - 1;
    }

    /** Field i as ISO-8859-1 text (one char per octet), folding kept, without its final CRLF. */
    String field(int i) {
        return new String(bytes, starts[i], starts[i + 1] - starts[i] - 2, StandardCharsets.ISO_8859_1);
    }

    /** Field i's name in lower case (ASCII), without whitespace before its colon; null when it has no colon. */
    String name(int i) {
        int end = starts[i + 1];
        int colon = -1;
        for (int p = starts[i]; p < end; p++) {
            if (bytes[p] == ':') {
                colon = p;
                break;
            }
        }
        if (colon < 0) {
            return null;
        }
        int nameEnd = colon;
        while (nameEnd > starts[i] && (bytes[nameEnd - 1] == ' ' || bytes[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        return Canonicalization.lowerCase(new String(bytes, starts[i], nameEnd - starts[i],
                StandardCharsets.ISO_8859_1));
    }

    /** The indexes of the fields of these (lower-case) names, top to bottom: one pass, whatever h= asks. */
    Map<String, List<Integer>> indexOf(Set<String> names) {
        Map<String, List<Integer>> index = new HashMap<>();
        for (int i = 0; i < size(); i++) {
            String name = name(i);
            if (name != null && names.contains(name)) {
                index.computeIfAbsent(name, n -> new ArrayList<>()).add(i);
            }
        }
        return index;
    }

    /**
     * §3.7: the fields h= names into the digest, canonicalized, each with its CRLF. Each name takes that field's
     * instances from the bottom up; a name listed more often than the field occurs adds nothing for the extra ones
     * (over-signing: a field added later breaks the signature).
     *
     * @param index   {@link #indexOf} of at least these names
     * @param exclude a field that is not among the instances (the signature's own), or -1
     */
    void hashSigned(MessageDigest digest, List<String> names, Map<String, List<Integer>> index,
            Canonicalization canonicalization, int exclude) {
        Map<String, Integer> taken = new HashMap<>();
        for (String name : names) {
            List<Integer> instances = index.getOrDefault(name, List.of());
            if (instances.contains(exclude)) {
                instances = instances.stream().filter(i -> i != exclude).toList();
            }
            int used = taken.merge(name, 1, Integer::sum);
            if (used <= instances.size()) {
                String field = field(instances.get(instances.size() - used));
                digest.update(canonicalization.header(field).getBytes(StandardCharsets.ISO_8859_1));
                digest.update(CRLF);
            }
        }
    }

    /** A growable byte array: the section is copied once into it, with no per-line objects. */
    private static final class Buffer {
        byte[] bytes = new byte[4096];
        int size;

        void add(byte b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = b;
        }
    }
}
