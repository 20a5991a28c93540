package dev.mailgateway.mailauth.spf;

import dev.mailgateway.mailauth.spf.SpfRecord.Directive;
import dev.mailgateway.mailauth.spf.SpfResult.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record syntax of RFC 7208 §4.6 and §5-6, checked whole: any error anywhere is a permerror, even after a
 * mechanism that would have matched (§4.6).
 */
final class RecordParser {

    private static final String VERSION = "v=spf1";
    /** A modifier's name: ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ), then "=" (§4.6.1). */
    private static final Pattern MODIFIER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    /** a and mx: [":" domain-spec] [dual-cidr-length], the lengths taken from the end. */
    private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)(?:/([0-9]+))?(?://([0-9]+))?", Pattern.DOTALL);

    private RecordParser() {
    }

    /** §4.5: a TXT record is an SPF record when it is "v=spf1" (in any case) alone or followed by a space. */
    static boolean isSpfRecord(String text) {
        return text.regionMatches(true, 0, VERSION, 0, VERSION.length())
                && (text.length() == VERSION.length() || text.charAt(VERSION.length()) == ' ');
    }

    /**
     * @param text a record {@link #isSpfRecord} accepted, its strings joined
     * @throws SpfException a permerror for any syntax error
     */
    static SpfRecord parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) { // §3.1: 7-bit ASCII; §4.6.1: terms are separated by spaces only
                throw SpfException.permerror(String.format("the record holds U+%04X, not printable ASCII", (int) c));
            }
        }
        List<Directive> directives = new ArrayList<>();
        MacroString redirect = null;
        MacroString explanation = null;
        for (String term : text.substring(VERSION.length()).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher name = MODIFIER_NAME.matcher(term);
            if (name.lookingAt() && name.end() < term.length() && term.charAt(name.end()) == '=') {
                String value = term.substring(name.end() + 1);
                switch (name.group().toLowerCase(Locale.ROOT)) {
                    case "redirect" -> {
                        if (redirect != null) {
                            throw SpfException.permerror("redirect= appears twice");
                        }
                        redirect = MacroString.domainSpec(value);
                    }
                    case "exp" -> {
                        if (explanation != null) {
                            throw SpfException.permerror("exp= appears twice");
                        }
                        explanation = MacroString.domainSpec(value);
                    }
                    default -> MacroString.parse(value, MacroString.Use.MODIFIER_VALUE); // §6: checked, ignored
                }
            } else {
                directives.add(directive(term));
            }
        }
        return new SpfRecord(directives, redirect, explanation);
    }

    private static Directive directive(String term) {
        Result qualifier = switch (term.charAt(0)) {
            case '+' -> Result.PASS;
            case '-' -> Result.FAIL;
            case '~' -> Result.SOFTFAIL;
            case '?' -> Result.NEUTRAL;
            default -> null;
        };
        String body = qualifier == null ? term : term.substring(1);
        int end = 0;
        while (end < body.length() && body.charAt(end) != ':' && body.charAt(end) != '/') {
            end++;
        }
        String args = body.substring(end);
        Mechanism mechanism = switch (body.substring(0, end).toLowerCase(Locale.ROOT)) {
            case "all" -> {
                requireNone(args, term);
                yield new Mechanism.All();
            }
            case "include" -> new Mechanism.Include(target(args, term));
            case "exists" -> new Mechanism.Exists(target(args, term));
            case "ptr" -> new Mechanism.Ptr(args.isEmpty() ? null : target(args, term));
            case "a", "mx" -> addresses(body.substring(0, end), args, term);
            case "ip4" -> ip(args, 4, term);
            case "ip6" -> ip(args, 16, term);
            default -> throw SpfException.permerror("unknown mechanism '" + term + "'");
        };
        return new Directive(qualifier == null ? Result.PASS : qualifier, mechanism);
    }

    private static void requireNone(String args, String term) {
        if (!args.isEmpty()) {
            throw SpfException.permerror("'" + term + "' takes no argument");
        }
    }

    /** ":" domain-spec, nothing else. */
    private static MacroString target(String args, String term) {
        if (!args.startsWith(":")) {
            throw SpfException.permerror("'" + term + "' needs ':' and a domain");
        }
        return MacroString.domainSpec(args.substring(1));
    }

    private static Mechanism addresses(String name, String args, String term) {
        Matcher parts = DUAL_CIDR.matcher(args);
        if (!parts.matches()) {
            throw new IllegalStateException("the pattern matches anything");
        }
        String spec = parts.group(1);
        int ip4 = parts.group(2) == null ? 32 : prefix(parts.group(2), 32, term);
        int ip6 = parts.group(3) == null ? 128 : prefix(parts.group(3), 128, term);
        MacroString domain = null;
        if (!spec.isEmpty()) {
            domain = target(spec, term);
        }
        return name.equalsIgnoreCase("a") ? new Mechanism.A(domain, ip4, ip6) : new Mechanism.Mx(domain, ip4, ip6);
    }

    private static Mechanism ip(String args, int length, String term) {
        if (!args.startsWith(":")) {
            throw SpfException.permerror("'" + term + "' needs ':' and a network");
        }
        String value = args.substring(1);
        int slash = value.indexOf('/');
        String network = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = length == 4 ? IpAddresses.parseIp4(network) : IpAddresses.parseIp6(network);
        if (bytes == null) {
            throw SpfException.permerror("bad network in '" + term + "'");
        }
        int max = length * 8;
        return new Mechanism.Ip(bytes, slash < 0 ? max : prefix(value.substring(slash + 1), max, term));
    }

    private static int prefix(String digits, int max, String term) {
        int prefix = IpAddresses.decimal(digits, max);
        if (prefix < 0) {
            throw SpfException.permerror("bad CIDR length in '" + term + "'");
        }
        return prefix;
    }
}
