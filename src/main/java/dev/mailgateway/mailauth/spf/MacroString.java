package dev.mailgateway.mailauth.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A macro-string of RFC 7208 §7.1, parsed when its record is (a syntax error anywhere in a record is a permerror
 * before any term is evaluated) and expanded each time it is used.
 */
final class MacroString {

    /** Where a macro-string stands decides the letters it may use and whether a space is text. */
    enum Use {
        /** A mechanism's or modifier's target: must also end as a domain does. */
        DOMAIN_SPEC("slodiphv", false),
        /** The value of a modifier we do not know: checked, never expanded. */
        MODIFIER_VALUE("slodiphv", false),
        /** The text an exp= record holds: c, r and t are allowed only here (§7.2), and spaces are text. */
        EXPLANATION("slodiphvcrt", true);

        private final String letters;
        private final boolean spaces;

        Use(String letters, boolean spaces) {
            this.letters = letters;
            this.spaces = spaces;
        }
    }

    /** toplabel of §7.1: not all digits, no dash first or last. */
    private static final Pattern TOPLABEL =
            Pattern.compile("[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]");
    private static final String DELIMITERS = ".-+,/_=";
    private static final int ALL_PARTS = Integer.MAX_VALUE;

    private sealed interface Part permits Text, Macro {
    }

    private record Text(String text) implements Part {
    }

    /**
     * {@code %{letter keep r delimiters}}; an uppercase letter asks for URL escaping (§7.3).
     *
     * @param keep how many right-hand parts to keep, {@link #ALL_PARTS} when no digits were given
     */
    private record Macro(char letter, boolean escaped, int keep, boolean reverse, String delimiters)
            implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private MacroString(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** A domain-spec: a macro-string that ends in a macro or in "." and a toplabel (a final dot allowed). */
    static MacroString domainSpec(String text) {
        if (text.isEmpty()) {
            throw SpfException.permerror("empty domain-spec");
        }
        return parse(text, Use.DOMAIN_SPEC);
    }

    /** @throws SpfException a permerror, when the text is not a macro-string of that use */
    static MacroString parse(String text, Use use) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int tail = 0; // where the text after the last macro-expand starts
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                if ((c < 0x21 || c > 0x7E) && !(use.spaces && c == ' ')) {
                    throw SpfException.permerror("character " + printable(c) + " not allowed in '" + text + "'");
                }
                literal.append(c);
                i++;
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            switch (next) {
                case '%' -> literal.append('%');
                case '_' -> literal.append(' ');
                case '-' -> literal.append("%20");
                case '{' -> {
                    int close = text.indexOf('}', i + 2);
                    if (close < 0) {
                        throw SpfException.permerror("unterminated macro in '" + text + "'");
                    }
                    if (!literal.isEmpty()) {
                        parts.add(new Text(literal.toString()));
                        literal.setLength(0);
                    }
                    parts.add(macro(text.substring(i + 2, close), use, text));
                    i = close - 1; // past the '}' below
                }
                default -> throw SpfException.permerror("'%' must be followed by '{', '%', '_' or '-' in '"
                        + text + "'");
            }
            i += 2;
            tail = i;
        }
        if (!literal.isEmpty()) {
            parts.add(new Text(literal.toString()));
        }
        if (use == Use.DOMAIN_SPEC && tail < text.length() && !endsAsDomain(text.substring(tail))) {
            throw SpfException.permerror("'" + text + "' does not end in a macro or a top-level label");
        }
        return new MacroString(text, parts);
    }

    private static Macro macro(String body, Use use, String text) {
        char letter = body.isEmpty() ? 0 : body.charAt(0);
        char lower = letter < 0x80 ? Character.toLowerCase(letter) : 0; // İ is not i
        if (lower == 0 || use.letters.indexOf(lower) < 0) {
            throw SpfException.permerror((lower != 0 && Use.EXPLANATION.letters.indexOf(lower) >= 0
                    ? "macro letter only for explanations in '" : "no such macro letter in '") + text + "'");
        }
        int i = 1;
        while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
            i++;
        }
        String digits = body.substring(1, i).replaceFirst("^0+", "");
        if (i > 1 && digits.isEmpty()) {
            throw SpfException.permerror("a macro keeps at least one part: '" + text + "'");
        }
        int keep = digits.isEmpty() || digits.length() > 3 ? ALL_PARTS : Integer.parseInt(digits);
        boolean reverse = i < body.length() && Character.toLowerCase(body.charAt(i)) == 'r';
        String delimiters = body.substring(reverse ? i + 1 : i);
        if (!delimiters.chars().allMatch(d -> DELIMITERS.indexOf(d) >= 0)) {
            throw SpfException.permerror("bad macro transformer or delimiter in '" + text + "'");
        }
        return new Macro(lower, letter != lower, keep, reverse,
                delimiters.isEmpty() ? "." : delimiters);
    }

    /** domain-end of §7.1 for text that ends in literal characters: "." toplabel, a final dot allowed. */
    private static boolean endsAsDomain(String tail) {
        String name = tail.endsWith(".") ? tail.substring(0, tail.length() - 1) : tail;
        int dot = name.lastIndexOf('.');
        return dot >= 0 && TOPLABEL.matcher(name.substring(dot + 1)).matches();
    }

    private static String printable(char c) {
        return c >= 0x21 && c <= 0x7E ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** Whether expanding needs the client's validated name (%{p}): a DNS matter, done only when it does. */
    boolean usesValidatedName() {
        return parts.stream().anyMatch(p -> p instanceof Macro m && m.letter() == 'p');
    }

    String expand(MacroValues values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text text) {
                out.append(text.text());
            } else if (part instanceof Macro macro) {
                out.append(expand(macro, values.value(macro.letter())));
            }
        }
        return out.toString();
    }

    /** §7.3: split on the delimiters, reverse, keep the right-hand parts, join with dots, escape if uppercase. */
    private static String expand(Macro macro, String value) {
        List<String> labels = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (macro.delimiters().indexOf(value.charAt(i)) >= 0) {
                labels.add(value.substring(start, i));
                start = i + 1;
            }
        }
        labels.add(value.substring(start));
        if (macro.reverse()) {
            Collections.reverse(labels);
        }
        if (macro.keep() < labels.size()) {
            labels = labels.subList(labels.size() - macro.keep(), labels.size());
        }
        String joined = String.join(".", labels);
        return macro.escaped() ? urlEscaped(joined) : joined;
    }

    /** Every octet outside RFC 3986's unreserved characters as %XX. */
    private static String urlEscaped(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
