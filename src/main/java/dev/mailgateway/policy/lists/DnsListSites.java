package dev.mailgateway.policy.lists;

import dev.mailgateway.ops.ThrottledWarnings;
import dev.mailgateway.dns.Dns;
import dev.mailgateway.dns.DnsAnswer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Type;

/**
 * DNS allow- and blocklists, configured as Postfix's {@code postscreen_dnsbl_sites}: comma- or space-separated
 * entries {@code domain[=pattern][*weight]}, e.g. {@code zen.example=127.0.0.[2..11]*3, wl.example*-2}. A client
 * (or, RHSBL, a domain) scores the sum of the weights of the entries whose list answers with a matching address:
 * each entry counts once however many of its answers match, and an entry given twice with two patterns counts
 * twice, as in Postfix (the list is asked once).
 *
 * <p>Answers in 127.255.255.0/24 are the list operator's error codes (query refused, over the free limit), never
 * a listing; they and lists that fail (SERVFAIL, timeout) score nothing and are logged at WARN, at most once a
 * minute per list. All lists of one evaluation are asked at once, through the gateway's {@link Dns} (its cache
 * answers repeated questions); nothing blocks.
 */
public final class DnsListSites {

    private static final Logger LOG = LoggerFactory.getLogger(DnsListSites.class);

    private final List<DnsListSite> sites;
    private final String text;
    private final ThrottledWarnings warnings = new ThrottledWarnings(LOG, Duration.ofMinutes(1));

    private DnsListSites(List<DnsListSite> sites, String text) {
        this.sites = sites;
        this.text = text;
    }

    /**
     * @param sites blank: no lists
     * @throws IllegalArgumentException naming the first entry that is not {@code domain[=pattern][*weight]}
     */
    public static DnsListSites parse(String sites) {
        List<DnsListSite> parsed = new ArrayList<>();
        if (sites != null) {
            for (String entry : sites.split("[,\\s]+")) {
                if (!entry.isEmpty()) {
                    parsed.add(DnsListSite.parse(entry));
                }
            }
        }
        return new DnsListSites(List.copyOf(parsed), sites == null ? "" : sites.strip());
    }

    public boolean isEmpty() {
        return sites.isEmpty();
    }

    /**
     * The client address: IPv4 as reversed octets ({@code 1.2.0.192.list}), IPv6 as reversed nibbles (32 labels);
     * an IPv4-mapped IPv6 address as IPv4. Never completes exceptionally.
     */
    public CompletionStage<ListScore> client(Dns dns, InetAddress client) {
        if (client == null || sites.isEmpty()) {
            return CompletableFuture.completedFuture(ListScore.NONE);
        }
        String reversed = QueryNames.client(client);
        return evaluate(dns, list -> reversed + "." + list);
    }

    /**
     * RHSBL: a domain name (the sender's domain, the HELO name) asked as {@code <domain>.<list>}. Names that
     * cannot be asked (empty, an address literal, too long for a list's domain) score 0 there without a query.
     * Never completes exceptionally.
     */
    public CompletionStage<ListScore> domain(Dns dns, String domain) {
        String name = QueryNames.domain(domain);
        if (name == null || sites.isEmpty()) {
            return CompletableFuture.completedFuture(ListScore.NONE);
        }
        return evaluate(dns, list -> name + "." + list);
    }

    /** Each list asked once, all at once; scored when the last has answered (each answers within DNS's timeout). */
    private CompletionStage<ListScore> evaluate(Dns dns, UnaryOperator<String> queryName) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, CompletableFuture<DnsAnswer>> answers = new LinkedHashMap<>();
        for (DnsListSite site : sites) {
            String name = queryName.apply(site.domain());
            if (!answers.containsKey(site.domain()) && Dns.canQuery(name)) {
                names.put(site.domain(), name);
                answers.put(site.domain(), dns.query(name, Type.A).toCompletableFuture());
            }
        }
        if (answers.isEmpty()) {
            return CompletableFuture.completedFuture(ListScore.NONE);
        }
        return CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new))
                .handle((done, failure) -> score(names, answers));
    }

    private ListScore score(Map<String, String> names, Map<String, CompletableFuture<DnsAnswer>> answers) {
        Map<String, List<byte[]>> listings = new LinkedHashMap<>();
        answers.forEach((list, stage) -> listings.put(list, listings(list, names.get(list), stage.getNow(null))));
        List<ListScore.Hit> hits = new ArrayList<>();
        for (DnsListSite site : sites) {
            for (byte[] address : listings.getOrDefault(site.domain(), List.of())) {
                if (site.matches(address)) {
                    hits.add(new ListScore.Hit(site.domain(), text(address), site.weight()));
                    break; // an entry counts once, however many of its list's answers match
                }
            }
        }
        return ListScore.of(hits);
    }

    /** The IPv4 answers of one list that may be listings; the rest (failures, error codes) logged and left out. */
    private List<byte[]> listings(String list, String name, DnsAnswer answer) {
        if (answer == null) { // not possible after allOf; scored as a list that did not answer
            answer = DnsAnswer.none(DnsAnswer.Status.ERROR, "no answer");
        }
        if (answer.isFailure()) {
            warnings.warn(list + " failure", "DNS list {}: no answer for {} ({}: {}); it scores nothing",
                    list, name, answer.status(), answer.error());
            return List.of();
        }
        List<byte[]> listings = new ArrayList<>();
        for (InetAddress address : answer.addresses()) {
            if (!(address instanceof Inet4Address)) {
                continue;
            }
            byte[] bytes = address.getAddress();
            if (isErrorCode(bytes)) {
                warnings.warn(list + " error code", "DNS list {} answered {} for {}: an error code of the list's "
                        + "operator (queries refused or over their limit?), not a listing; it scores nothing",
                        list, address.getHostAddress(), name);
            } else {
                listings.add(bytes);
            }
        }
        return listings;
    }

    /** 127.255.255.0/24: Spamhaus and others answer there when they refuse a query; never a listing. */
    private static boolean isErrorCode(byte[] address) {
        return address[0] == 127 && address[1] == (byte) 255 && address[2] == (byte) 255;
    }

    private static String text(byte[] address) {
        return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." + (address[3] & 0xFF);
    }

    @Override
    public String toString() {
        return text;
    }
}
