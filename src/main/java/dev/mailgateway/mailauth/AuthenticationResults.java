package dev.mailgateway.mailauth;

import dev.mailgateway.mail.MessageBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The Authentication-Results field (RFC 8601) and its place in the message: ours goes on top, once; any field
 * already there that claims our authserv-id is removed first (§5: a forged one would otherwise be believed
 * downstream). No other byte of the message changes, so DKIM signatures stay valid downstream.
 */
final class AuthenticationResults {

    private static final byte[] NAME = "authentication-results:".getBytes(StandardCharsets.US_ASCII);

    private AuthenticationResults() {
    }

    /** The field, folded one method result a line: {@code Authentication-Results: host;\r\n\tspf=pass ...\r\n}. */
    static String field(String authservId, List<String> results) {
        StringBuilder field = new StringBuilder("Authentication-Results: ").append(authservId);
        if (results.isEmpty()) {
            return field.append("; none\r\n").toString();
        }
        for (int i = 0; i < results.size(); i++) {
            field.append(";\r\n\t").append(results.get(i));
        }
        return field.append("\r\n").toString();
    }

    /**
     * The message with our field first and the fields that claim our authserv-id left out; the rest as it was.
     *
     * @param header  the header section as {@link MessageBytes#headerSection} read it
     * @param results the method results; null: no field of ours, only the claiming ones removed
     */
    static byte[] rewrite(byte[] header, InputStream rest, String authservId, List<String> results) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + 4096);
        if (results != null) {
            out.write(field(authservId, results).getBytes(StandardCharsets.UTF_8));
        }
        int start = 0;
        while (start < header.length) {
            int end = fieldEnd(header, start);
            if (!claims(header, start, end, authservId)) {
                out.write(header, start, end - start);
            }
            start = end;
        }
        rest.transferTo(out);
        return out.toByteArray();
    }

    /** Whether any field of the header section claims our authserv-id. */
    static boolean anyClaims(byte[] header, String authservId) {
        for (int start = 0, end; start < header.length; start = end) {
            end = fieldEnd(header, start);
            if (claims(header, start, end, authservId)) {
                return true;
            }
        }
        return false;
    }

    /** Where the field starting at {@code start} ends: after the CRLF of its last line (continuations start with WSP). */
    private static int fieldEnd(byte[] header, int start) {
        int i = start;
        while (i < header.length) {
            int lineEnd = i;
            while (lineEnd < header.length && header[lineEnd] != '\n') {
                lineEnd++;
            }
            i = Math.min(lineEnd + 1, header.length);
            if (i >= header.length || (header[i] != ' ' && header[i] != '\t') || i - start <= 2) {
                return i;
            }
        }
        return i;
    }

    /** An Authentication-Results field whose authserv-id (the first token, after comments) is ours. */
    static boolean claims(byte[] header, int start, int end, String authservId) {
        if (end - start <= NAME.length) {
            return false;
        }
        for (int i = 0; i < NAME.length; i++) {
            if (Character.toLowerCase(header[start + i]) != NAME[i]) {
                return false;
            }
        }
        String value = new String(header, start + NAME.length, end - start - NAME.length, StandardCharsets.UTF_8);
        return authservId.toLowerCase(Locale.ROOT).equals(authservIdOf(value));
    }

    /** The authserv-id of a field value: comments and folding skipped, up to ';' or whitespace; lower case. */
    static String authservIdOf(String value) {
        StringBuilder id = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && depth > 0) {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                if (c == ';' || ((c == ' ' || c == '\t' || c == '\r' || c == '\n') && !id.isEmpty())) {
                    break;
                }
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    id.append(c);
                }
            }
        }
        return id.toString().toLowerCase(Locale.ROOT);
    }

    /** A property value as RFC 8601 §2.2 allows it: as it is when it is a token or an address, quoted otherwise. */
    static String value(String text) {
        if (text == null || text.isEmpty()) {
            return "\"\"";
        }
        boolean plain = true;
        for (int i = 0; i < text.length() && plain; i++) {
            char c = text.charAt(i);
            plain = c > 32 && c < 127 && "()<>,;:\\\"[]= ".indexOf(c) < 0;
        }
        if (plain) {
            return text;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c < 32 || c == 127 ? ' ' : c);
        }
        return quoted.append('"').toString();
    }

    /** A comment, its parentheses and backslashes escaped, control characters out: {@code (DNS timeout)}. */
    static String comment(String text) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\');
            }
            out.append(c < 32 || c == 127 ? ' ' : c);
        }
        return out.append(')').toString();
    }
}
