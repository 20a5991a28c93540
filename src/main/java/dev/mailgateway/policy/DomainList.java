package dev.mailgateway.policy;

import dev.mailgateway.mail.DomainNames;
import java.util.HashSet;
import java.util.Set;

/**
 * A list of mail domains, as Postfix's relay_domains: {@code example.com} matches that domain only,
 * {@code .example.com} matches its subdomains (write both to have both).
 */
public final class DomainList {

    private final Set<String> exact;
    private final Set<String> parents;
    private final String text;

    private DomainList(Set<String> exact, Set<String> parents, String text) {
        this.exact = exact;
        this.parents = parents;
        this.text = text;
    }

    /** Parses a comma- or space-separated list; an empty text gives an empty list. */
    public static DomainList parse(String text) {
        Set<String> exact = new HashSet<>();
        Set<String> parents = new HashSet<>();
        if (text != null) {
            for (String entry : text.split("[,\\s]+")) {
                if (entry.startsWith(".") && entry.length() > 1) {
                    parents.add(DomainNames.key(entry.substring(1)));
                } else if (!entry.isEmpty()) {
                    exact.add(DomainNames.key(entry));
                }
            }
        }
        return new DomainList(Set.copyOf(exact), Set.copyOf(parents), text == null ? "" : text.trim());
    }

    /** @param domain a domain key ({@link DomainNames#key}) */
    public boolean contains(String domain) {
        if (exact.contains(domain)) {
            return true;
        }
        if (!parents.isEmpty()) {
            for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
                if (parents.contains(domain.substring(dot + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
