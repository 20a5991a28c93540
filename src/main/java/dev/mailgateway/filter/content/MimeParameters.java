package dev.mailgateway.filter.content;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.NameValuePair;

/**
 * A parameter of Content-Type or Content-Disposition (a file name) decoded as mail clients read it: RFC 2231
 * ({@code filename*=utf-8''%E2%82%AC.exe}; continuations {@code filename*0*=}, {@code filename*1=}, put in order of
 * their numbers, encoded and plain segments mixed) and RFC 2047 encoded words in a plain value
 * ({@code filename="=?UTF-8?B?...?="}, not standard but common). Lenient: an unknown charset or a stray {@code %}
 * never fails, it only decodes less well.
 *
 * <p>Written here because mime4j 0.8.14 does not do it right: {@code ContentTypeField#getParameter} knows no RFC
 * 2231 at all, and {@code ContentDispositionField#getFilename} joins continuations in the order they are written
 * (not by number) and decodes with {@code URLDecoder}, which makes {@code +} a space.
 */
final class MimeParameters {

    private MimeParameters() {
    }

    /**
     * The decoded value of the parameter named {@code wanted} (lower case: {@code filename}, {@code name}), from
     * parameters as mime4j's {@code RawFieldParser} gives them (quotes removed, one char per octet); null if absent.
     * The extended form ({@code name*}) wins over continuations, which win over the plain form.
     */
    static String decoded(List<NameValuePair> params, String wanted) {
        String plain = null;
        String extended = null;
        TreeMap<Integer, Segment> segments = null;
        for (NameValuePair param : params) {
            String name = param.getName();
            String value = param.getValue();
            if (name == null || value == null) {
                continue;
            }
            name = name.trim();
            if (name.length() < wanted.length() || !name.regionMatches(true, 0, wanted, 0, wanted.length())) {
                continue;
            }
            String rest = name.substring(wanted.length());
            if (rest.isEmpty()) {
                plain = plain == null ? value : plain;
            } else if (rest.equals("*")) {
                extended = extended == null ? value : extended;
            } else if (rest.charAt(0) == '*') {
                boolean encoded = rest.length() > 2 && rest.endsWith("*");
                String digits = rest.substring(1, encoded ? rest.length() - 1 : rest.length());
                if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    continue;
                }
                if (segments == null) {
                    segments = new TreeMap<>();
                }
                segments.putIfAbsent(Integer.parseInt(digits), new Segment(value, encoded));
            }
        }
        if (extended != null) {
            return extended(extended);
        }
        if (segments != null) {
            return encodedWords(continuations(segments));
        }
        if (plain != null) {
            return encodedWords(octetsAsText(plain));
        }
        return null;
    }

    /** {@code charset'language'percent-encoded} (RFC 2231 section 4); without the two quotes, UTF-8 is assumed. */
    private static String extended(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        String charset = second < 0 ? null : value.substring(0, first);
        ByteArrayOutputStream octets = new ByteArrayOutputStream(value.length());
        percentDecode(second < 0 ? value : value.substring(second + 1), octets);
        return text(octets.toByteArray(), charset);
    }

    /**
     * Continuations in order of their numbers (gaps closed up, so nothing a client might show is lost). Encoded
     * segments are decoded together (a character's octets may be split across two), with the charset named in the
     * first segment.
     */
    private static String continuations(TreeMap<Integer, Segment> segments) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream octets = new ByteArrayOutputStream();
        String charset = null;
        boolean first = true;
        for (Map.Entry<Integer, Segment> entry : segments.entrySet()) {
            Segment segment = entry.getValue();
            if (segment.encoded()) {
                String value = segment.value();
                if (first) {
                    int q1 = value.indexOf('\'');
                    int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
                    if (q2 >= 0) {
                        charset = value.substring(0, q1);
                        value = value.substring(q2 + 1);
                    }
                }
                percentDecode(value, octets);
            } else {
                if (octets.size() > 0) {
                    text.append(text(octets.toByteArray(), charset));
                    octets.reset();
                }
                text.append(octetsAsText(segment.value()));
            }
            first = false;
        }
        if (octets.size() > 0) {
            text.append(text(octets.toByteArray(), charset));
        }
        return text.toString();
    }

    private static void percentDecode(String value, ByteArrayOutputStream octets) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length() && hex(value.charAt(i + 1)) >= 0 && hex(value.charAt(i + 2)) >= 0) {
                octets.write(hex(value.charAt(i + 1)) << 4 | hex(value.charAt(i + 2)));
                i += 2;
            } else {
                octets.write(c); // the parser gave one char per octet
            }
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** RFC 2047 encoded words in a value that has some; anything else as it is. */
    private static String encodedWords(String value) {
        if (!value.contains("=?")) {
            return value;
        }
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return value;
        }
    }

    /**
     * A value the parser read one char per octet: 8-bit octets that form UTF-8 (raw UTF-8 in a header, as RFC 6532
     * allows and many mailers send) become those characters; other 8-bit octets stay ISO-8859-1.
     */
    static String octetsAsText(String value) {
        int i = 0;
        while (i < value.length() && value.charAt(i) < 0x80) {
            i++;
        }
        if (i == value.length()) {
            return value;
        }
        byte[] octets = new byte[value.length()];
        for (int j = 0; j < octets.length; j++) {
            char c = value.charAt(j);
            if (c > 0xff) {
                return value; // not one char per octet after all
            }
            octets[j] = (byte) c;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }

    /** Octets in the named charset; an unknown or missing name means UTF-8. Invalid octets become U+FFFD. */
    private static String text(byte[] octets, String charsetName) {
        return new String(octets, charset(charsetName));
    }

    /**
     * The charset of that name for decoding, leniently: unknown, invalid or absent names, and US-ASCII (which real
     * mail often mislabels), decode as UTF-8 (a superset of ASCII).
     */
    static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            Charset charset = Charset.forName(name.trim());
            return charset.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : charset;
        } catch (IllegalArgumentException e) { // IllegalCharsetNameException, UnsupportedCharsetException
            return StandardCharsets.UTF_8;
        }
    }

    private record Segment(String value, boolean encoded) {
    }
}
