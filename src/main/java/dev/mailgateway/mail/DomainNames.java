package dev.mailgateway.mail;

import java.net.IDN;
import java.util.Locale;

/** Domain names as lookup keys: lower case, internationalized names in their ASCII (punycode) form. */
public final class DomainNames {

    private DomainNames() {
    }

    /**
     * {@code Bücher.Example} and {@code xn--bcher-kva.example} give the same key. A name IDNA cannot convert
     * keeps its lower-case form (it then matches only itself).
     */
    public static String key(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        if (lower.chars().allMatch(c -> c < 0x80)) {
            return lower;
        }
        try {
            return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return lower;
        }
    }
}
