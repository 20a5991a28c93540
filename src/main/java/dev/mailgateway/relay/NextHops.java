package dev.mailgateway.relay;

import dev.mailgateway.mail.DomainNames;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which next hop a recipient domain goes to: the transport map ({@code domain=host:port}, the domain or, with a
 * leading dot, its subdomains) first, then the smarthost; MX lookup only for domains neither names.
 */
public final class NextHops {

    private final Map<String, NextHop> transportMap;
    private final Map<String, NextHop> transportMapParents;
    private final NextHop smarthost;
    private final Map<String, TlsPolicy> tlsPolicies;
    private final TlsPolicy tlsDefault;

    private NextHops(Map<String, NextHop> transportMap, Map<String, NextHop> transportMapParents,
            NextHop smarthost, Map<String, TlsPolicy> tlsPolicies, TlsPolicy tlsDefault) {
        this.transportMap = transportMap;
        this.transportMapParents = transportMapParents;
        this.smarthost = smarthost;
        this.tlsPolicies = tlsPolicies;
        this.tlsDefault = tlsDefault;
    }

    /**
     * @param transportMap comma-separated {@code domain=host:port} (IPv6 as {@code [addr]:port})
     * @param smarthost    {@code host:port}, blank for none
     * @param tlsDefault   TLS for next hops the policy map does not name
     * @param tlsPolicies  comma-separated {@code domain=none|may|encrypt}
     */
    public static NextHops of(String transportMap, String smarthost, String smarthostUser, String smarthostPassword,
            TlsPolicy smarthostTls, TlsPolicy tlsDefault, String tlsPolicies) {
        Map<String, TlsPolicy> policies = new HashMap<>();
        for (String entry : entries(tlsPolicies)) {
            String[] kv = pair(entry);
            policies.put(DomainNames.key(kv[0]), TlsPolicy.valueOf(kv[1].toUpperCase(java.util.Locale.ROOT)));
        }
        Map<String, NextHop> exact = new HashMap<>();
        Map<String, NextHop> parents = new HashMap<>();
        for (String entry : entries(transportMap)) {
            String[] kv = pair(entry);
            String domain = DomainNames.key(kv[0]);
            boolean parent = domain.startsWith(".");
            String key = parent ? domain.substring(1) : domain;
            NextHop hop = NextHop.parse(kv[1], 25, policies.getOrDefault(key, tlsDefault));
            (parent ? parents : exact).put(key, hop);
        }
        NextHop relayhost = null;
        if (smarthost != null && !smarthost.isBlank()) {
            relayhost = NextHop.parse(smarthost, 25, smarthostTls);
            if (smarthostUser != null && !smarthostUser.isBlank()) {
                relayhost = relayhost.withCredentials(smarthostUser, smarthostPassword);
            }
        }
        return new NextHops(Map.copyOf(exact), Map.copyOf(parents), relayhost, Map.copyOf(policies), tlsDefault);
    }

    /** The TLS policy for a recipient domain: its own, or the default. */
    public TlsPolicy tlsFor(String domain) {
        return tlsPolicies.getOrDefault(domain, tlsDefault);
    }

    /** The next hop for a domain key ({@link DomainNames#key}); empty when nothing routes it. */
    public Optional<NextHop> forDomain(String domain) {
        NextHop hop = transportMap.get(domain);
        if (hop == null) {
            for (int dot = domain.indexOf('.'); dot >= 0 && hop == null; dot = domain.indexOf('.', dot + 1)) {
                hop = transportMapParents.get(domain.substring(dot + 1));
            }
        }
        if (hop == null && smarthost != null) {
            hop = smarthost;
        }
        return Optional.ofNullable(hop);
    }

    private static String[] entries(String list) {
        return list == null || list.isBlank() ? new String[0] : list.strip().split("\\s*,\\s*");
    }

    private static String[] pair(String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0 || eq == entry.length() - 1) {
            throw new IllegalArgumentException("not domain=value: " + entry);
        }
        return new String[] {entry.substring(0, eq).strip(), entry.substring(eq + 1).strip()};
    }
}
