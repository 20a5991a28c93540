package dev.mailgateway.relay;

import dev.mailgateway.mail.DomainMap;
import dev.mailgateway.mail.DomainNames;
import java.util.Locale;
import java.util.Optional;

/**
 * Which next hop a recipient domain goes to: the transport map ({@code domain=host:port}, the domain or, with a
 * leading dot, its subdomains) first, then the smarthost; MX lookup only for domains neither names.
 */
public final class NextHops {

    private final DomainMap<NextHop> transportMap;
    private final NextHop smarthost;
    private final DomainMap<TlsPolicy> tlsPolicies;
    private final TlsPolicy tlsDefault;

    private NextHops(DomainMap<NextHop> transportMap, NextHop smarthost, DomainMap<TlsPolicy> tlsPolicies,
            TlsPolicy tlsDefault) {
        this.transportMap = transportMap;
        this.smarthost = smarthost;
        this.tlsPolicies = tlsPolicies;
        this.tlsDefault = tlsDefault;
    }

    /**
     * @param transportMap comma-separated {@code domain=host:port} (IPv6 as {@code [addr]:port}); {@code .domain}
     *                     for its subdomains
     * @param smarthost    {@code host:port}, blank for none
     * @param tlsDefault   TLS for next hops the policy map does not name
     * @param tlsPolicies  comma-separated {@code domain=none|may|encrypt}, {@code .domain} for its subdomains
     */
    public static NextHops of(String transportMap, String smarthost, String smarthostUser, String smarthostPassword,
            TlsPolicy smarthostTls, TlsPolicy tlsDefault, String tlsPolicies) {
        DomainMap<TlsPolicy> policies = new DomainMap<>();
        for (String entry : entries(tlsPolicies)) {
            String[] kv = pair(entry);
            policies.put(kv[0], TlsPolicy.valueOf(kv[1].toUpperCase(Locale.ROOT)));
        }
        DomainMap<NextHop> transport = new DomainMap<>();
        for (String entry : entries(transportMap)) {
            String[] kv = pair(entry);
            transport.put(kv[0], NextHop.parse(kv[1], 25, tlsDefault));
        }
        NextHop relayhost = null;
        if (smarthost != null && !smarthost.isBlank()) {
            relayhost = NextHop.parse(smarthost, 25, smarthostTls);
            if (smarthostUser != null && !smarthostUser.isBlank()) {
                relayhost = relayhost.withCredentials(smarthostUser, smarthostPassword);
            }
        }
        return new NextHops(transport, relayhost, policies, tlsDefault);
    }

    /** The TLS policy for a recipient domain: its own (or its nearest parent's, for a {@code .domain} entry), or the default. */
    public TlsPolicy tlsFor(String domain) {
        return tlsPolicies.get(domain).orElse(tlsDefault);
    }

    /**
     * The next hop for a domain key ({@link DomainNames#key}); empty when nothing routes it. A transport map
     * entry's next hop uses the recipient domain's TLS policy; the smarthost its own.
     */
    public Optional<NextHop> forDomain(String domain) {
        Optional<NextHop> mapped = transportMap.get(domain).map(hop -> hop.withTls(tlsFor(domain)));
        return mapped.isPresent() ? mapped : Optional.ofNullable(smarthost);
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
