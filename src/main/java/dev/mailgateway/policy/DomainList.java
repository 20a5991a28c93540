package dev.mailgateway.policy;

import dev.mailgateway.mail.DomainMap;
import dev.mailgateway.mail.DomainNames;

/**
 * A list of mail domains, as Postfix's relay_domains: {@code example.com} matches that domain only,
 * {@code .example.com} matches its subdomains (write both to have both).
 */
public final class DomainList {

    private final DomainMap<Boolean> domains;
    private final String text;

    private DomainList(DomainMap<Boolean> domains, String text) {
        this.domains = domains;
        this.text = text;
    }

    /** Parses a comma- or space-separated list; an empty text gives an empty list. */
    public static DomainList parse(String text) {
        DomainMap<Boolean> domains = new DomainMap<>();
        if (text != null) {
            for (String entry : text.split("[,\\s]+")) {
                domains.put(entry, Boolean.TRUE);
            }
        }
        return new DomainList(domains, text == null ? "" : text.trim());
    }

    /** @param domain a domain key ({@link DomainNames#key}) */
    public boolean contains(String domain) {
        return domains.get(domain).isPresent();
    }

    @Override
    public String toString() {
        return text;
    }
}
