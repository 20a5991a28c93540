package dev.mailgateway.mail;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Values by mail domain, matched as Postfix matches its domain tables: {@code example.com} is that domain only,
 * {@code .example.com} its subdomains (at any depth); the domain's own entry wins, then the nearest parent's.
 * Keys are {@link DomainNames#key domain keys}.
 */
public final class DomainMap<V> {

    private final Map<String, V> exact = new HashMap<>();
    private final Map<String, V> parents = new HashMap<>();

    /** @param pattern {@code example.com} or {@code .example.com} */
    public DomainMap<V> put(String pattern, V value) {
        String key = DomainNames.key(pattern.strip());
        if (key.startsWith(".") && key.length() > 1) {
            parents.put(key.substring(1), value);
        } else if (!key.isEmpty() && !key.equals(".")) {
            exact.put(key, value);
        }
        return this;
    }

    /** @param domain a domain key */
    public Optional<V> get(String domain) {
        V value = exact.get(domain);
        if (value == null && !parents.isEmpty()) {
            for (int dot = domain.indexOf('.'); dot >= 0 && value == null; dot = domain.indexOf('.', dot + 1)) {
                value = parents.get(domain.substring(dot + 1));
            }
        }
        return Optional.ofNullable(value);
    }

    public boolean isEmpty() {
        return exact.isEmpty() && parents.isEmpty();
    }
}
