package dev.mailgateway.relay;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.dns.DnsAnswer;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Type;

/**
 * Where a domain's mail goes, from DNS (RFC 5321 §5.1): its MX hosts by preference, equal preferences shuffled,
 * each with its addresses (A, then AAAA); no MX means the domain itself (implicit MX); a Null MX (RFC 7505) or a
 * domain that does not exist is a permanent failure, a DNS failure a temporary one; mail hosts that have no
 * address at all are a permanent failure too (Postfix: 5.4.4). An address literal ({@code [192.0.2.1]},
 * {@code [IPv6:2001:db8::1]}) is its own mail host, without DNS. Answers are cached for their TTL (dnsjava's
 * cache, through the gateway's {@link Dns}). Blocking: called on relay threads, it waits for {@link Dns}'s answers
 * (which come within its timeout); the address lookups of all the mail hosts run at once.
 */
public final class MxResolver {

    /** One MX host and its addresses. */
    public record MxHost(String name, int preference, List<InetAddress> addresses) {
    }

    /** The hosts to try, in order, or why there are none. */
    public record Answer(List<MxHost> hosts, RemoteReply failure) {
        static Answer failed(int code, String status, String text) {
            return new Answer(List.of(), new RemoteReply(code, status, text));
        }
    }

    private final Dns dns;

    public MxResolver(Dns dns) {
        this.dns = dns;
    }

    /**
     * A resolver of its own, for tests and tools; the gateway shares one ({@link Dns#shared}).
     *
     * @param server {@code host[:port]} of the DNS server to ask; blank: the system's resolvers
     */
    public MxResolver(String server, Duration timeout) {
        this(Dns.create(server, timeout));
    }

    public Answer resolve(String domain) {
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return literal(domain);
        }
        if (!Dns.canQuery(domain)) { // not a name DNS can carry (too long, say): it names no mail host
            return Answer.failed(550, "5.1.2", "bad domain name " + domain);
        }
        DnsAnswer mx = dns.query(domain, Type.MX).toCompletableFuture().join(); // never fails, within the timeout
        switch (mx.status()) {
            case FOUND -> {
                return hosts(domain, mx.records());
            }
            case NODATA -> { // no MX: the domain is its own mail host
                return addressesOf(List.of(new MxHost(domain, 0, List.of())));
            }
            case NXDOMAIN -> {
                return Answer.failed(550, "5.1.2", "Host or domain name not found. Name service error for name="
                        + domain + " type=MX: Host not found");
            }
            default -> {
                return Answer.failed(451, "4.4.3", "Host or domain name not found. Name service error for name="
                        + domain + " type=MX: " + mx.error() + ", try again");
            }
        }
    }

    private Answer hosts(String domain, List<org.xbill.DNS.Record> records) {
        Map<Integer, List<MxHost>> byPreference = new TreeMap<>();
        for (org.xbill.DNS.Record record : records) {
            MXRecord mx = (MXRecord) record;
            String target = mx.getTarget().toString(true);
            if (target.isEmpty() || target.equals(".")) {
                if (records.size() == 1) { // RFC 7505: this domain takes no mail
                    return Answer.failed(550, "5.1.10", "Domain " + domain + " does not accept mail (null MX)");
                }
                continue;
            }
            byPreference.computeIfAbsent(mx.getPriority(), p -> new ArrayList<>())
                    .add(new MxHost(target.toLowerCase(java.util.Locale.ROOT), mx.getPriority(), List.of()));
        }
        List<MxHost> ordered = new ArrayList<>();
        for (List<MxHost> same : byPreference.values()) {
            Collections.shuffle(same); // spread the load over equal MX hosts (RFC 5321 §5.1)
            ordered.addAll(same);
        }
        return addressesOf(ordered);
    }

    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]} (RFC 5321 §4.1.3): that address, port as for MX hosts. */
    private static Answer literal(String domain) {
        String text = domain.substring(1, domain.length() - 1);
        if (text.regionMatches(true, 0, "IPv6:", 0, 5)) {
            text = text.substring(5);
            if (!NetUtil.isValidIpV6Address(text)) {
                return Answer.failed(550, "5.1.2", "bad address literal " + domain);
            }
        } else if (!NetUtil.isValidIpV4Address(text)) {
            return Answer.failed(550, "5.1.2", "bad address literal " + domain);
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
        return new Answer(List.of(new MxHost(domain, 0, List.of(address))), null);
    }

    /** Each host with its addresses; hosts without any are left out, a DNS failure on the way remembered. */
    private Answer addressesOf(List<MxHost> hosts) {
        List<CompletableFuture<DnsAnswer>> lookups = new ArrayList<>(); // A and AAAA of every host, asked at once
        for (MxHost host : hosts) {
            for (int type : new int[] {Type.A, Type.AAAA}) {
                lookups.add(dns.query(host.name(), type).toCompletableFuture());
            }
        }
        List<MxHost> resolved = new ArrayList<>();
        String temporary = null;
        for (int i = 0; i < hosts.size(); i++) {
            MxHost host = hosts.get(i);
            List<InetAddress> addresses = new ArrayList<>();
            for (int j = 0; j < 2; j++) {
                DnsAnswer answer = lookups.get(2 * i + j).join();
                addresses.addAll(answer.addresses());
                // a name DNS cannot carry has no address we could use: not worth a retry
                if (answer.isFailure() && Dns.canQuery(host.name())) {
                    temporary = host.name() + " type=" + (j == 0 ? "A" : "AAAA") + ": " + answer.error();
                }
            }
            if (!addresses.isEmpty()) {
                resolved.add(new MxHost(host.name(), host.preference(), List.copyOf(addresses)));
            }
        }
        if (!resolved.isEmpty()) {
            return new Answer(List.copyOf(resolved), null);
        }
        String names = String.join(", ", hosts.stream().map(MxHost::name).toList());
        if (temporary != null) {
            return Answer.failed(451, "4.4.3", "no address for the mail hosts (" + names
                    + "); name service error for " + temporary + ", try again");
        }
        // DNS answered, and there is no address: as Postfix, a permanent failure, not five days of retries
        return Answer.failed(550, "5.4.4", "Host or domain name not found. Name service error for name=" + names
                + " type=A: Host not found");
    }
}
