package dev.mailgateway.mailauth.spf;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.dns.DnsAnswer;
import dev.mailgateway.dns.DnsAnswer.Status;
import dev.mailgateway.mailauth.spf.SpfRecord.Directive;
import dev.mailgateway.mailauth.spf.SpfResult.Result;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One check_host() of RFC 7208 §4, with its includes and redirects: the counters the limits of §4.6.4 need, and
 * the stages that ask DNS. Terms are evaluated one after the other (whether the next is needed depends on the
 * answers to this one); the lookups of one term (the hosts of an MX answer, the names of a PTR answer) go out
 * together. Temperror and permerror travel as {@link SpfException}s through the stages: either ends the whole
 * check, however deep in includes it happened.
 */
final class Evaluation {

    /** §4.6.4: terms that cause DNS queries (include, a, mx, ptr, exists, redirect) per check. */
    static final int MAX_DNS_TERMS = 10;
    /** §4.6.4: answers of no records (NXDOMAIN, NODATA) per check, the RFC's recommended default. */
    static final int MAX_VOID_LOOKUPS = 2;
    /** §4.6.4: MX names per mx term (more is a permerror), PTR names per ptr term or %{p} (more are ignored). */
    static final int MAX_NAMES = 10;

    /**
     * What check_host() of one domain gave, errors aside.
     *
     * @param values      the macro values of the record that decided it (its domain: redirect changes it)
     * @param explanation that record's exp=, when the result is a fail that record gave; null otherwise
     */
    record Outcome(Result result, MacroValues values, MacroString explanation) {
    }

    private final Dns dns;
    private final byte[] ip;
    private final AtomicInteger dnsTerms = new AtomicInteger();
    private final AtomicInteger voidLookups = new AtomicInteger();
    private volatile boolean expired;

    /** @param ip the client, 4 or 16 bytes, IPv4-mapped addresses already made IPv4 */
    Evaluation(Dns dns, byte[] ip) {
        this.dns = dns;
        this.ip = ip.clone();
    }

    /** The deadline passed: no more queries, every one from now on is a timeout at once. */
    void expire() {
        expired = true;
    }

    /** check_host() of {@code values.domain()}: the record lookup of §4.4-4.5, then its evaluation (§4.6). */
    CompletionStage<Outcome> checkHost(MacroValues values) {
        return query(DomainNames.forQuery(values.domain()), Type.TXT).thenCompose(answer -> {
            SpfRecord record = select(answer, values.domain());
            if (record == null) {
                return done(new Outcome(Result.NONE, values, null));
            }
            return evaluate(record, values, 0);
        });
    }

    /** The one SPF record among the TXT records; null when there is none. */
    private static SpfRecord select(DnsAnswer answer, String domain) {
        if (answer.isFailure()) {
            throw SpfException.temperror(problem(answer, "TXT", domain));
        }
        List<String> records = new ArrayList<>();
        for (org.xbill.DNS.Record record : answer.records()) {
            String text = joined((TXTRecord) record);
            if (RecordParser.isSpfRecord(text)) {
                records.add(text);
            }
        }
        if (records.size() > 1) {
            throw SpfException.permerror(domain + " has " + records.size() + " SPF records");
        }
        if (records.isEmpty()) {
            return null;
        }
        try {
            return RecordParser.parse(records.get(0));
        } catch (SpfException e) {
            throw SpfException.permerror("the SPF record of " + domain + ": " + e.getMessage());
        }
    }

    /** A TXT record's strings glued together without separator (§3.3), byte for byte. */
    private static String joined(TXTRecord record) {
        StringBuilder text = new StringBuilder();
        for (byte[] string : record.getStringsAsByteArrays()) {
            text.append(new String(string, StandardCharsets.ISO_8859_1)); // bytes outside ASCII stay visible as such
        }
        return text.toString();
    }

    private CompletionStage<Outcome> evaluate(SpfRecord record, MacroValues values, int from) {
        List<Directive> directives = record.directives();
        for (int i = from; i < directives.size(); i++) {
            Directive directive = directives.get(i);
            if (!directive.mechanism().queriesDns()) {
                if (matchesHere(directive.mechanism())) {
                    return done(matched(directive, record, values));
                }
                continue;
            }
            countDnsTerm(values.domain());
            int next = i + 1;
            return matches(directive.mechanism(), values).thenCompose(match -> match
                    ? done(matched(directive, record, values))
                    : evaluate(record, values, next));
        }
        if (record.redirect() != null && !record.hasAll()) {
            countDnsTerm(values.domain());
            return redirect(record.redirect(), values);
        }
        return done(new Outcome(Result.NEUTRAL, values, null)); // §4.7
    }

    private static Outcome matched(Directive directive, SpfRecord record, MacroValues values) {
        Result result = directive.qualifier();
        return new Outcome(result, values, result == Result.FAIL ? record.explanation() : null);
    }

    /** all, ip4, ip6: decided without DNS. */
    private boolean matchesHere(Mechanism mechanism) {
        return mechanism instanceof Mechanism.All
                || mechanism instanceof Mechanism.Ip network && IpAddresses.inNetwork(ip, network.network(),
                network.prefix());
    }

    private CompletionStage<Boolean> matches(Mechanism mechanism, MacroValues values) {
        if (mechanism instanceof Mechanism.Include include) {
            return include(include, values);
        }
        if (mechanism instanceof Mechanism.A a) {
            return target(a.domain(), values).thenCompose(target -> target == null ? done(false)
                    : query(DomainNames.forQuery(target), addressType()).thenApply(answer ->
                    !isVoid(answer, addressType(), target) && inNetwork(answer, a.ip4Prefix(), a.ip6Prefix())));
        }
        if (mechanism instanceof Mechanism.Mx mx) {
            return target(mx.domain(), values).thenCompose(target -> target == null ? done(false) : mx(target, mx));
        }
        if (mechanism instanceof Mechanism.Ptr ptr) {
            return target(ptr.domain(), values).thenCompose(target -> target == null ? done(false) : ptr(target));
        }
        if (mechanism instanceof Mechanism.Exists exists) {
            // A even for an IPv6 client (§5.7): exists asks whether a name is there, not for an address
            return target(exists.domain(), values).thenCompose(target -> target == null ? done(false)
                    : query(DomainNames.forQuery(target), Type.A).thenApply(answer ->
                    !isVoid(answer, Type.A, target)));
        }
        throw new IllegalArgumentException("not a DNS mechanism: " + mechanism);
    }

    /** §5.2: pass matches; fail, softfail and neutral do not; none is a permerror; errors end the check. */
    private CompletionStage<Boolean> include(Mechanism.Include include, MacroValues values) {
        return target(include.domain(), values).thenCompose(target -> {
            if (target == null || !DomainNames.isMultiLabel(target)) {
                throw SpfException.permerror("include:" + include.domain() + " names no domain");
            }
            return checkHost(values.withDomain(target)).thenApply(outcome -> switch (outcome.result()) {
                case PASS -> true;
                case FAIL, SOFTFAIL, NEUTRAL -> false;
                default -> throw SpfException.permerror("include:" + target + " has no SPF record");
            });
        });
    }

    /** §6.1: the target's result is the result; its absence is a permerror. Its exp= replaces ours. */
    private CompletionStage<Outcome> redirect(MacroString domain, MacroValues values) {
        return target(domain, values).thenCompose(target -> {
            if (target == null || !DomainNames.isMultiLabel(target)) {
                throw SpfException.permerror("redirect=" + domain + " names no domain");
            }
            return checkHost(values.withDomain(target)).thenApply(outcome -> {
                if (outcome.result() == Result.NONE) {
                    throw SpfException.permerror("redirect=" + target + " has no SPF record");
                }
                return outcome;
            });
        });
    }

    /** §5.4: the addresses of each MX host; more than ten MX records is a permerror. */
    private CompletionStage<Boolean> mx(String target, Mechanism.Mx mx) {
        return query(DomainNames.forQuery(target), Type.MX).thenCompose(answer -> {
            if (isVoid(answer, Type.MX, target)) {
                return done(false);
            }
            if (answer.records().size() > MAX_NAMES) {
                throw SpfException.permerror(target + " has " + answer.records().size() + " MX records, more than "
                        + MAX_NAMES);
            }
            List<Name> hosts = answer.records().stream().map(r -> ((MXRecord) r).getTarget())
                    .filter(host -> !host.equals(Name.root)) // a null MX (RFC 7505) names no host
                    .toList();
            return lookAll(hosts, addressType()).thenApply(answers -> {
                // in answer order, as one lookup after the other would have met them
                for (int i = 0; i < answers.size(); i++) {
                    DnsAnswer addresses = answers.get(i);
                    if (addresses.isFailure()) {
                        throw SpfException.temperror(problem(addresses, Type.string(addressType()),
                                hosts.get(i).toString(true)));
                    }
                    if (inNetwork(addresses, mx.ip4Prefix(), mx.ip6Prefix())) {
                        return true;
                    }
                }
                return false;
            });
        });
    }

    /** §5.5: a validated name of the client that is the target or below it. */
    private CompletionStage<Boolean> ptr(String target) {
        return clientNames(true).thenCompose(names ->
                validated(names.stream().filter(name -> DomainNames.isSameOrSubdomain(name.toString(true), target))
                        .toList())).thenApply(validated -> !validated.isEmpty());
    }

    /**
     * %{p} (§7.3): the validated name of the client, the domain itself or one below it preferred; "unknown" when
     * there is none. Not a term: it counts against no limit but the ten PTR names.
     */
    private CompletionStage<String> validatedName(String domain) {
        return clientNames(false).thenCompose(this::validated).thenApply(validated -> {
            List<String> names = validated.stream().map(name -> name.toString(true)).toList();
            return names.stream().filter(name -> DomainNames.isSame(name, domain)).findFirst()
                    .or(() -> names.stream().filter(name -> DomainNames.isSameOrSubdomain(name, domain)).findFirst())
                    .or(() -> names.stream().findFirst())
                    .orElse("unknown");
        });
    }

    /**
     * The first ten names the client's PTR records give. A DNS error is no names (§5.5: the mechanism does not
     * match); no records is a void lookup for the ptr mechanism.
     */
    private CompletionStage<List<Name>> clientNames(boolean countsAsVoid) {
        String reverse = IpAddresses.reverseName(ip);
        return query(reverse, Type.PTR).thenApply(answer -> {
            if (answer.isNegative() && countsAsVoid) {
                countVoid(reverse);
            }
            if (!answer.isFound()) {
                return List.of();
            }
            return answer.records().stream().limit(MAX_NAMES).map(r -> ((PTRRecord) r).getTarget()).toList();
        });
    }

    /** The names among these whose addresses include the client's; a name whose lookup fails is skipped (§5.5). */
    private CompletionStage<List<Name>> validated(List<Name> names) {
        return lookAll(names, addressType()).thenApply(answers -> {
            List<Name> validated = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (answers.get(i).addresses().stream().map(InetAddress::getAddress)
                        .anyMatch(address -> Arrays.equals(address, ip))) {
                    validated.add(names.get(i));
                }
            }
            return validated;
        });
    }

    /** Asks for all names at once; the answers in the names' order. */
    private CompletionStage<List<DnsAnswer>> lookAll(List<Name> names, int type) {
        List<CompletableFuture<DnsAnswer>> lookups = names.stream()
                .map(name -> query(name.toString(), type).toCompletableFuture()).toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                .thenApply(all -> lookups.stream().map(CompletableFuture::join).toList());
    }

    /**
     * A mechanism's target: its domain-spec expanded (with %{p} looked up first when it uses it), or the domain
     * being evaluated when it has none.
     *
     * @return null when the expansion is no name DNS can carry: such a target does not exist
     */
    private CompletionStage<String> target(MacroString spec, MacroValues values) {
        if (spec == null) {
            return done(values.domain());
        }
        return expand(spec, values).thenApply(DomainNames::target);
    }

    CompletionStage<String> expand(MacroString text, MacroValues values) {
        if (!text.usesValidatedName()) {
            return done(text.expand(values));
        }
        return validatedName(values.domain()).thenApply(name -> text.expand(values.withValidatedName(name)));
    }

    /**
     * §6.2: the text the failing record's exp= points to, or null when there is none to use (no exp=, no single
     * TXT record there, a DNS error, text that is not an explanation). Does not count against any limit.
     */
    CompletionStage<String> explanation(Outcome outcome) {
        if (outcome.explanation() == null) {
            return done(null);
        }
        return target(outcome.explanation(), outcome.values()).thenCompose(target -> target == null ? done(null)
                : query(DomainNames.forQuery(target), Type.TXT).thenCompose(answer -> {
                    if (!answer.isFound() || answer.records().size() != 1) {
                        return done(null);
                    }
                    MacroString text;
                    try {
                        text = MacroString.parse(joined((TXTRecord) answer.records().get(0)),
                                MacroString.Use.EXPLANATION);
                    } catch (SpfException e) {
                        return done(null);
                    }
                    return expand(text, outcome.values());
                }));
    }

    /**
     * Whether the answer holds no records: a void lookup (§4.6.4), counted. A DNS error ends the check with a
     * temperror (§5: "the mechanism stops and the topmost check_host() returns temperror").
     */
    private boolean isVoid(DnsAnswer answer, int type, String name) {
        if (answer.isFailure()) {
            throw SpfException.temperror(problem(answer, Type.string(type), name));
        }
        if (answer.isNegative()) {
            countVoid(name);
            return true;
        }
        return false;
    }

    private boolean inNetwork(DnsAnswer answer, int ip4Prefix, int ip6Prefix) {
        int prefix = ip.length == 4 ? ip4Prefix : ip6Prefix;
        return answer.addresses().stream().anyMatch(address ->
                IpAddresses.inNetwork(ip, address.getAddress(), prefix));
    }

    /** a, mx and PTR validation ask for the client's family only. */
    private int addressType() {
        return ip.length == 4 ? Type.A : Type.AAAA;
    }

    private void countDnsTerm(String domain) {
        if (dnsTerms.incrementAndGet() > MAX_DNS_TERMS) {
            throw SpfException.permerror("more than " + MAX_DNS_TERMS + " terms that query DNS (at " + domain + ")");
        }
    }

    private void countVoid(String name) {
        if (voidLookups.incrementAndGet() > MAX_VOID_LOOKUPS) {
            throw SpfException.permerror("more than " + MAX_VOID_LOOKUPS + " DNS lookups found nothing (the last "
                    + name + ")");
        }
    }

    /** @param name text {@link Dns#query} parses */
    private CompletionStage<DnsAnswer> query(String name, int type) {
        if (expired) {
            return done(DnsAnswer.none(Status.TIMEOUT, "the check's deadline passed"));
        }
        return dns.query(name, type);
    }

    private static String problem(DnsAnswer answer, String type, String name) {
        return "DNS " + answer.status() + " for " + type + " " + name
                + (answer.error() == null ? "" : " (" + answer.error() + ")");
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
