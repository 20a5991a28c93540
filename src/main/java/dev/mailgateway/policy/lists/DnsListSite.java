package dev.mailgateway.policy.lists;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of a DNS list setting, {@code domain[=pattern][*weight]} as Postfix's {@code postscreen_dnsbl_sites}:
 * the list's domain, which answers count ({@code null}: any answer in 127.0.0.0/8) and what a matching answer adds
 * to the score (negative: an allowlist).
 */
record DnsListSite(String domain, ReplyPattern pattern, int weight) {

    /** Letters, digits, hyphens and underscores (some list zones have them), in labels of at most 63. */
    private static final Pattern DOMAIN = Pattern.compile("(?i)[a-z0-9_-]{1,63}(\\.[a-z0-9_-]{1,63})*");
    private static final Pattern WEIGHT = Pattern.compile("[+-]?[0-9]{1,6}");

    /** @throws IllegalArgumentException naming the entry and what is wrong with it */
    static DnsListSite parse(String entry) {
        try {
            String head = entry;
            int weight = 1;
            int star = entry.indexOf('*');
            if (star >= 0) {
                String text = entry.substring(star + 1);
                if (!WEIGHT.matcher(text).matches()) {
                    throw new IllegalArgumentException("the weight is not a number: '" + text + "'");
                }
                weight = Integer.parseInt(text);
                head = entry.substring(0, star);
            }
            ReplyPattern pattern = null;
            int equals = head.indexOf('=');
            if (equals >= 0) {
                pattern = ReplyPattern.parse(head.substring(equals + 1));
                head = head.substring(0, equals);
            }
            String domain = head.endsWith(".") ? head.substring(0, head.length() - 1) : head;
            if (!DOMAIN.matcher(domain).matches() || domain.length() > 253) {
                throw new IllegalArgumentException("not a domain: '" + head + "'");
            }
            return new DnsListSite(domain.toLowerCase(Locale.ROOT), pattern, weight);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DNS list site '" + entry + "': " + e.getMessage()
                    + " (expected domain[=pattern][*weight], e.g. zen.example=127.0.0.[2..11]*3)", e);
        }
    }

    /**
     * Whether an answer of this list counts.
     *
     * @param address the four bytes of one A record (not an error code: the caller sets those apart)
     */
    boolean matches(byte[] address) {
        return pattern == null ? address[0] == 127 : pattern.matches(address);
    }

    @Override
    public String toString() {
        return domain + (pattern == null ? "" : "=" + pattern) + (weight == 1 ? "" : "*" + weight);
    }
}
