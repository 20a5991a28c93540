package dev.mailgateway.mailauth.dmarc;

import dev.mailgateway.mailauth.dmarc.DmarcResult.Policy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A DMARC policy record (RFC 7489 §6.3), as far as evaluation needs it. Report tags (rua, ruf, fo, rf, ri) are
 * read only for §6.6.3's rule on a bad p= or sp=; reports are not sent. Unknown tags are ignored.
 *
 * @param policy          p=; null when the record is not usable (see {@link #problem})
 * @param subdomainPolicy sp=; null when absent (p= then applies to subdomains too)
 * @param percent         pct=, 0..100: the share of failing messages the policy is applied to
 * @param strictDkim      adkim=s (relaxed unless)
 * @param strictSpf       aspf=s (relaxed unless)
 * @param problem         what is wrong with the record, for the result's reason; null when nothing is
 */
record DmarcRecord(Policy policy, Policy subdomainPolicy, int percent, boolean strictDkim, boolean strictSpf,
        String problem) {

    /** Whether DMARC applies this record: §6.6.3 step 6 leaves records with a bad p= or sp= and no rua unapplied. */
    boolean usable() {
        return policy != null;
    }

    /**
     * The record a TXT record's text is, or null when it is not a DMARC record: §6.6.3 keeps only records whose
     * first tag is {@code v=DMARC1} ("DMARC1" in that case, as its ABNF spells it in %x values).
     */
    static DmarcRecord parse(String text) {
        String[] parts = text.split(";", -1);
        String[] version = tag(parts[0]);
        if (version == null || !version[0].equals("v") || !version[1].equals("DMARC1")) {
            return null;
        }
        Map<String, String> tags = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] tag = tag(parts[i]);
            if (tag != null) {
                tags.putIfAbsent(tag[0], tag[1]); // a repeated tag: the first one counts
            }
        }
        Policy p = policy(tags.get("p"));
        String sp = tags.get("sp");
        Policy subdomains = sp == null ? null : policy(sp);
        String pct = tags.get("pct");
        int percent = pct == null ? 100 : percent(pct);
        // a bad pct= counts as absent: the policy keeps its full strength
        String problem = percent < 0 ? "invalid pct=, read as 100" : null;
        percent = percent < 0 ? 100 : percent;
        boolean strictDkim = "s".equalsIgnoreCase(tags.get("adkim"));
        boolean strictSpf = "s".equalsIgnoreCase(tags.get("aspf"));
        if (p == null || sp != null && subdomains == null) { // §6.6.3 step 6
            String bad = p != null ? "invalid sp=" : tags.containsKey("p") ? "invalid p=" : "no p=";
            if (hasReportUri(tags.get("rua"))) {
                return new DmarcRecord(Policy.NONE, null, percent, strictDkim, strictSpf,
                        bad + ", read as p=none since rua= is given");
            }
            return new DmarcRecord(null, null, percent, strictDkim, strictSpf, bad);
        }
        return new DmarcRecord(p, subdomains, percent, strictDkim, strictSpf, problem);
    }

    /** {@code name=value} with whitespace around either, the name in lower case; null for anything else. */
    private static String[] tag(String part) {
        int equals = part.indexOf('=');
        if (equals < 0) {
            return null;
        }
        String name = part.substring(0, equals).strip().toLowerCase(Locale.ROOT);
        return name.isEmpty() ? null : new String[] {name, part.substring(equals + 1).strip()};
    }

    private static Policy policy(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Policy.NONE;
            case "quarantine" -> Policy.QUARANTINE;
            case "reject" -> Policy.REJECT;
            default -> null;
        };
    }

    /** 0..100 (1*3DIGIT); -1 for anything else. */
    private static int percent(String value) {
        if (value.isEmpty() || value.length() > 3 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int percent = Integer.parseInt(value);
        return percent <= 100 ? percent : -1;
    }

    /** rua= has at least one syntactically valid DMARC URI: an absolute URI, with an optional {@code !size}. */
    private static boolean hasReportUri(String rua) {
        if (rua == null) {
            return false;
        }
        for (String entry : rua.split(",")) {
            String uri = entry.strip().replaceFirst("![0-9]+[kmgtKMGT]?$", "");
            try {
                if (!uri.isEmpty() && new URI(uri).isAbsolute()) {
                    return true;
                }
            } catch (URISyntaxException e) {
                // the next one, if any
            }
        }
        return false;
    }
}
