package dev.mailgateway.smtpd.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The argument of MAIL and RCPT: {@code FROM:<path> KEY=value ...}. One space after the colon is tolerated, as
 * Postfix does; angle brackets are required. A source route ({@code <@a,@b:user@c>}) is dropped, as RFC 5321
 * §3.3 asks.
 *
 * @param path       what stood inside the angle brackets, source route removed
 * @param parameters ESMTP parameters by upper-case keyword; the value is null for a bare keyword
 */
public record PathArgument(String path, Map<String, String> parameters) {

    /** Why an argument could not be parsed: the keyword, the path, or a parameter. */
    public enum Error { KEYWORD, PATH, PARAMETER }

    public static final class SyntaxError extends Exception {
        public final Error error;

        SyntaxError(Error error) {
            super(error.name(), null, false, false);
            this.error = error;
        }
    }

    /**
     * @param keyword {@code FROM:} or {@code TO:}
     */
    public static PathArgument parse(String argument, String keyword) throws SyntaxError {
        String s = argument.stripLeading();
        if (!s.regionMatches(true, 0, keyword, 0, keyword.length())) {
            throw new SyntaxError(Error.KEYWORD);
        }
        int i = keyword.length();
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        if (i >= s.length() || s.charAt(i) != '<') {
            throw new SyntaxError(Error.PATH);
        }
        int close = closingBracket(s, i + 1);
        if (close < 0) {
            throw new SyntaxError(Error.PATH);
        }
        String path = withoutSourceRoute(s.substring(i + 1, close));
        return new PathArgument(path, parameters(s.substring(close + 1)));
    }

    private static int closingBracket(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            } else if (c == '<' && !quoted) {
                return -1;
            }
        }
        return -1;
    }

    private static String withoutSourceRoute(String path) throws SyntaxError {
        if (!path.startsWith("@")) {
            return path;
        }
        int colon = path.indexOf(':');
        if (colon < 0) {
            throw new SyntaxError(Error.PATH);
        }
        return path.substring(colon + 1);
    }

    private static Map<String, String> parameters(String rest) throws SyntaxError {
        if (rest.isBlank()) {
            return Map.of();
        }
        if (rest.charAt(0) != ' ') {
            throw new SyntaxError(Error.PATH); // text glued to the closing bracket
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String token : rest.trim().split(" +")) {
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : token.substring(eq + 1);
            if (!isKeyword(key) || (value != null && !isValue(value)) || parameters.containsKey(key)) {
                throw new SyntaxError(Error.PARAMETER);
            }
            parameters.put(key, value);
        }
        return parameters;
    }

    private static boolean isKeyword(String key) {
        if (key.isEmpty() || !Character.isLetterOrDigit(key.charAt(0))) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** esmtp-value: printable, no "=" and no space (RFC 5321); UTF-8 allowed for RFC 6531. */
    private static boolean isValue(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 33 || c == '=' || c == 127) {
                return false;
            }
        }
        return true;
    }
}
