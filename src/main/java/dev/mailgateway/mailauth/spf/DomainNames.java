package dev.mailgateway.mailauth.spf;

import dev.mailgateway.dns.Dns;
import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/** The checks and shapes SPF gives domain names before DNS sees them. */
final class DomainNames {

    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9_-]{1,63}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private DomainNames() {
    }

    /**
     * The domain of an identity (a MAIL FROM domain, a HELO name) as §4.3 wants it: a multi-label host name of
     * labels of at most 63 characters, none empty; internationalised names as A-labels. Address literals, bare
     * IPv4 addresses and single labels are not.
     *
     * @return the name without a final dot, or null when it is not a domain: the result is "none"
     */
    static String identity(String domain) {
        if (domain == null || domain.isEmpty()) {
            return null;
        }
        String name = domain;
        if (!name.chars().allMatch(c -> c < 0x80)) {
            try {
                name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.length() > 253) {
            return null;
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2 || DIGITS.matcher(labels[labels.length - 1]).matches()) {
            return null;
        }
        for (String label : labels) {
            if (!HOST_LABEL.matcher(label).matches()) {
                return null;
            }
        }
        return name;
    }

    /**
     * A macro-expanded target made ready for DNS (§7.3): the final dot dropped, then labels dropped from the left
     * while the name is longer than 253 characters.
     *
     * @return the name, or null when DNS cannot carry it (an empty label, one over 63 octets, not ASCII): such a
     *         target does not exist, it is not an error (the suite's "invalid-domain-*" cases prefer that)
     */
    static String target(String expanded) {
        String name = expanded.endsWith(".") ? expanded.substring(0, expanded.length() - 1) : expanded;
        while (name.length() > 253) {
            int dot = name.indexOf('.');
            if (dot < 0) {
                return null;
            }
            name = name.substring(dot + 1);
        }
        if (name.isEmpty() || !name.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            return null;
        }
        return Dns.canQuery(forQuery(name)) ? name : null;
    }

    /** Whether a target may start a check_host() of its own (include, redirect): more than one label (§4.3). */
    static boolean isMultiLabel(String name) {
        return name.indexOf('.') > 0;
    }

    /** The text {@link Dns#query} parses for this name: dnsjava's escape character, and "@", taken literally. */
    static String forQuery(String name) {
        return name.replace("\\", "\\\\").replace("@", "\\@");
    }

    /** Whether both are one name, in any case, final dots or not. */
    static boolean isSame(String name, String other) {
        return normal(name).equals(normal(other));
    }

    /** Whether {@code name} is {@code parent} or below it, in any case, final dots or not. */
    static boolean isSameOrSubdomain(String name, String parent) {
        String child = normal(name);
        String suffix = normal(parent);
        return child.equals(suffix) || child.endsWith("." + suffix);
    }

    private static String normal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
