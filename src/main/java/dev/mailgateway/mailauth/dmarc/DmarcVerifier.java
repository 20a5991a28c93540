package dev.mailgateway.mailauth.dmarc;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.dns.DnsAnswer;
import dev.mailgateway.mail.Printable;
import dev.mailgateway.mailauth.dkim.DkimResult;
import dev.mailgateway.mailauth.dmarc.DmarcResult.Policy;
import dev.mailgateway.mailauth.dmarc.DmarcResult.Result;
import dev.mailgateway.mailauth.spf.SpfResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * DMARC (RFC 7489) for one message, from the From domains and the SPF and DKIM results the other verifiers gave:
 * policy discovery in DNS (§6.6.3), identifier alignment (§3.1), the policy and its pct= sampling (§6.6.4).
 *
 * <p>A message whose From addresses have different domains is checked for each, and the strictest failing policy
 * applies (§6.6.1), at most {@value #MAX_FROM_DOMAINS} domains. One without a From domain to check (none, or not
 * parsable: see {@link FromDomains}) is a PERMERROR rather than NONE, so that breaking the From field is no way
 * around a domain's policy (the shipped route refuses it when DMARC is enforced). A DNS failure during
 * discovery is a TEMPERROR, never a FAIL or a NONE. Reports (rua=, ruf=) are not sent.
 *
 * <p>Asynchronous on the gateway's {@link Dns}: at most two TXT queries, one after the other; nothing blocks.
 */
public final class DmarcVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(DmarcVerifier.class);

    /** Distinct author domains checked at most; more is a PERMERROR (a From built to make us query a lot). */
    static final int MAX_FROM_DOMAINS = 10;

    private final Dns dns;
    private final OrganizationalDomains orgDomains;
    private final IntSupplier percentDraw;

    public DmarcVerifier(Dns dns, OrganizationalDomains orgDomains) {
        this(dns, orgDomains, () -> ThreadLocalRandom.current().nextInt(100));
    }

    /**
     * @param percentDraw for pct= sampling: a uniform draw from 0..99 per failing message; the message is in the
     *                    sample (the policy applies) when the draw is below pct. Tests give a fixed one.
     */
    public DmarcVerifier(Dns dns, OrganizationalDomains orgDomains, IntSupplier percentDraw) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.orgDomains = Objects.requireNonNull(orgDomains, "orgDomains");
        this.percentDraw = Objects.requireNonNull(percentDraw, "percentDraw");
    }

    /** Where discovery ended: the records at one name, or the DNS failure that stopped it. */
    private record Lookup(String name, List<DmarcRecord> records, String failure, boolean atOrganization) {
    }

    /**
     * @param fromDomains as {@link FromDomains} gives them: one per From address
     * @param spf         the MAIL FROM identity's SPF result (for the null sender, the HELO identity's); may be null
     * @param dkim        every DKIM signature's result; may be null or empty
     * @return never completes exceptionally (an unexpected failure is a TEMPERROR), never blocks
     */
    public CompletionStage<DmarcResult> evaluate(List<String> fromDomains, SpfResult spf, List<DkimResult> dkim) {
        try {
            Set<String> domains = new LinkedHashSet<>();
            for (String domain : fromDomains == null ? List.<String>of() : fromDomains) {
                String key = FromDomains.domainName(domain);
                if (key == null) {
                    return done(failed(Result.PERMERROR, null, "From domain '" + printable(domain)
                            + "' is not a domain name"));
                }
                domains.add(key);
            }
            if (domains.isEmpty()) {
                return done(failed(Result.PERMERROR, null, "no From domain to check (none, or not parsable)"));
            }
            if (domains.size() > MAX_FROM_DOMAINS) {
                return done(failed(Result.PERMERROR, null, "too many From domains: " + shortList(domains)));
            }
            List<DkimResult> signatures = dkim == null ? List.of() : dkim;
            if (domains.size() == 1) {
                return evaluateOne(domains.iterator().next(), spf, signatures);
            }
            // §6.6.1: every author domain is checked, and the strictest policy among those that fail applies, so
            // a second address of a domain without a policy is no way around the first one's
            List<CompletableFuture<DmarcResult>> each = new ArrayList<>();
            for (String from : domains) {
                each.add(evaluateOne(from, spf, signatures).toCompletableFuture());
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenApply(all -> strictest(each.stream().map(CompletableFuture::join).toList(), domains));
        } catch (RuntimeException e) {
            return done(unexpected(e));
        }
    }

    private CompletionStage<DmarcResult> evaluateOne(String from, SpfResult spf, List<DkimResult> signatures) {
        String organization = orgDomains.of(from);
        return discover(from, organization)
                .thenApply(lookup -> decide(from, organization, lookup, spf, signatures))
                .handle((result, failure) -> failure == null ? result : unexpected(failure));
    }

    /**
     * Several author domains: a failure with the strictest disposition wins (reject, then quarantine, then none);
     * without a failure a DNS problem (temperror) does; a pass only when every domain passes.
     */
    private static DmarcResult strictest(List<DmarcResult> results, Set<String> domains) {
        DmarcResult chosen = null;
        for (DmarcResult result : results) {
            if (result.result() == Result.FAIL
                    && (chosen == null || result.disposition().ordinal() > chosen.disposition().ordinal())) {
                chosen = result;
            }
        }
        if (chosen == null) {
            chosen = results.stream().filter(r -> r.result() == Result.TEMPERROR).findFirst()
                    .orElseGet(() -> results.stream().filter(r -> r.result() != Result.PASS).findFirst()
                            .orElse(results.get(0)));
        }
        return new DmarcResult(chosen.result(), chosen.fromDomain(), chosen.policy(), chosen.disposition(),
                chosen.spfAligned(), chosen.dkimAligned(), "From domains " + shortList(domains)
                        + (chosen.reason() == null ? "" : "; " + chosen.reason()));
    }

    /**
     * §6.6.3: the From domain's records, else (none there, and no DNS failure) the organizational domain's. Several
     * records at the From domain end discovery there too: no policy, not the organization's.
     */
    private CompletionStage<Lookup> discover(String from, String organization) {
        return lookup(from, false).thenCompose(atFrom -> {
            boolean settled = atFrom.failure() != null || !atFrom.records().isEmpty() || organization.equals(from);
            return settled ? done(atFrom) : lookup(organization, true);
        });
    }

    /** The DMARC records among the TXT records at {@code _dmarc.domain}; other TXT records are discarded. */
    private CompletionStage<Lookup> lookup(String domain, boolean atOrganization) {
        String name = "_dmarc." + domain;
        if (!Dns.canQuery(name)) { // too long for DNS: no record can be there
            return done(new Lookup(name, List.of(), null, atOrganization));
        }
        return dns.query(name, Type.TXT).thenApply(answer -> {
            if (answer.isFailure()) {
                return new Lookup(name, List.of(), answer.status() + " (" + answer.error() + ")", atOrganization);
            }
            return new Lookup(name, records(answer), null, atOrganization);
        });
    }

    private static List<DmarcRecord> records(DnsAnswer answer) {
        List<DmarcRecord> records = new ArrayList<>();
        for (org.xbill.DNS.Record record : answer.records()) {
            if (record instanceof TXTRecord txt) {
                StringBuilder text = new StringBuilder(); // a record's strings are one text, joined as they are
                for (byte[] string : txt.getStringsAsByteArrays()) {
                    text.append(new String(string, StandardCharsets.UTF_8));
                }
                DmarcRecord parsed = DmarcRecord.parse(text.toString());
                if (parsed != null) {
                    records.add(parsed);
                }
            }
        }
        return records;
    }

    private DmarcResult decide(String from, String organization, Lookup lookup, SpfResult spf,
            List<DkimResult> dkim) {
        if (lookup.failure() != null) {
            return new DmarcResult(Result.TEMPERROR, from, Policy.NONE, Policy.NONE, spfAligned(from, spf, false),
                    dkimAligned(from, dkim, false), "DNS failure at " + lookup.name() + ": " + lookup.failure());
        }
        if (lookup.records().size() != 1) {
            String reason = lookup.records().isEmpty()
                    ? "no DMARC record at _dmarc." + from + (organization.equals(from) ? "" : " nor " + lookup.name())
                    : "several DMARC records at " + lookup.name() + ": none applies";
            return none(from, spf, dkim, reason);
        }
        DmarcRecord record = lookup.records().get(0);
        if (!record.usable()) {
            return none(from, spf, dkim, record.problem() + " at " + lookup.name() + ": no DMARC processing");
        }
        boolean spfAligned = spfAligned(from, spf, record.strictSpf());
        boolean dkimAligned = dkimAligned(from, dkim, record.strictDkim());
        // sp= is for subdomains, and read only where the record was found at the organizational domain
        boolean subdomain = lookup.atOrganization() && record.subdomainPolicy() != null;
        Policy policy = subdomain ? record.subdomainPolicy() : record.policy();
        String source = (subdomain ? "sp=" : "p=") + keyword(policy) + " at " + lookup.name()
                + (record.problem() == null ? "" : " (" + record.problem() + ")");
        if (spfAligned || dkimAligned) {
            String how = spfAligned && dkimAligned ? "SPF and DKIM" : spfAligned ? "SPF" : "DKIM";
            return new DmarcResult(Result.PASS, from, policy, Policy.NONE, spfAligned, dkimAligned,
                    "aligned " + how + " pass; " + source);
        }
        Policy disposition = disposition(policy, record.percent());
        String sampled = disposition == policy ? ""
                : "; pct=" + record.percent() + " sampled out: " + keyword(disposition) + " instead";
        return new DmarcResult(Result.FAIL, from, policy, disposition, false, false,
                "no aligned pass; " + source + sampled);
    }

    /**
     * §6.6.4: the policy for the pct share of failing messages; the others get the next lower one (a reject
     * becomes a quarantine, a quarantine nothing), so a domain raising its policy step by step never relaxes it.
     */
    private Policy disposition(Policy policy, int percent) {
        if (policy == Policy.NONE || percent >= 100 || percent > 0 && percentDraw.getAsInt() < percent) {
            return policy;
        }
        return policy == Policy.REJECT ? Policy.QUARANTINE : Policy.NONE;
    }

    /** SPF passed, for a domain aligned with the From domain (§3.1.2); for the null sender that is the HELO name. */
    private boolean spfAligned(String from, SpfResult spf, boolean strict) {
        return spf != null && spf.result() == SpfResult.Result.PASS && aligned(from, spf.domain(), strict);
    }

    /** Some DKIM signature passed with a d= aligned with the From domain (§3.1.1). */
    private boolean dkimAligned(String from, List<DkimResult> dkim, boolean strict) {
        for (DkimResult signature : dkim) {
            if (signature != null && signature.result() == DkimResult.Result.PASS
                    && aligned(from, signature.domain(), strict)) {
                return true;
            }
        }
        return false;
    }

    /** Strict: the same domain. Relaxed: the same organizational domain. Case and a trailing dot do not matter. */
    private boolean aligned(String from, String domain, boolean strict) {
        if (domain == null || domain.isBlank()) {
            return false;
        }
        String other = OrganizationalDomains.key(domain);
        return strict ? from.equals(other) : orgDomains.sameOrganization(from, other);
    }

    /** No policy applies; alignment is reported as DMARC's default (relaxed) would see it. */
    private DmarcResult none(String from, SpfResult spf, List<DkimResult> dkim, String reason) {
        return new DmarcResult(Result.NONE, from, Policy.NONE, Policy.NONE, spfAligned(from, spf, false),
                dkimAligned(from, dkim, false), reason);
    }

    private static DmarcResult failed(Result result, String from, String reason) {
        return new DmarcResult(result, from, Policy.NONE, Policy.NONE, false, false, reason);
    }

    /** A bug of ours must not fail the message: a TEMPERROR lets it be tried again. */
    private static DmarcResult unexpected(Throwable failure) {
        LOG.warn("DMARC evaluation failed unexpectedly", failure);
        return failed(Result.TEMPERROR, null, "internal error: " + failure);
    }

    private static String shortList(Set<String> domains) {
        List<String> first = domains.stream().limit(5).toList();
        return String.join(", ", first) + (domains.size() > first.size() ? ", ..." : "");
    }

    /** The sender's text, for a reason that ends up in logs and headers: one line, bounded. */
    private static String printable(String text) {
        String shown = text == null ? "null" : text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return Printable.escape(shown);
    }

    private static String keyword(Policy policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
