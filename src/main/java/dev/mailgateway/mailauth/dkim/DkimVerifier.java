package dev.mailgateway.mailauth.dkim;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.dns.DnsAnswer;
import dev.mailgateway.mailauth.dkim.DkimResult.Result;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Type;

/**
 * Verifies the DKIM signatures of a message as received (RFC 6376, RFC 8463 Ed25519, RFC 8301 algorithm and key
 * size rules). One pass over the message: the header section into memory (bounded), the body streamed through the
 * hashes the signatures need, while their keys are looked up. Limits are results, never exceptions.
 */
public final class DkimVerifier {

    /** Signatures verified per message; those after are PERMERROR (each costs a DNS lookup and a body hash). */
    static final int MAX_SIGNATURES = 10;
    /** A header section larger than this is not verified: its signatures are PERMERROR. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(DkimVerifier.class);

    private final Dns dns;
    private final Clock clock;

    public DkimVerifier(Dns dns) {
        this(dns, Clock.systemUTC());
    }

    /** @param clock the time x= is compared with */
    DkimVerifier(Dns dns, Clock clock) {
        this.dns = dns;
        this.clock = clock;
    }

    /**
     * Every DKIM-Signature of the message, in header order (an empty list when there is none). The message is read
     * once from the stream (header section into memory, bounded; the body streamed through the hashes every
     * signature needs, so a 25 MB message never sits in memory twice); the body is not read when no signature
     * needs it. Reading and hashing happen on the calling thread (a worker thread), key lookups asynchronously:
     * the last step of each signature (reading its key, checking b=, well under a millisecond) runs on the thread
     * that completes its DNS answer. Never completes exceptionally.
     *
     * <p>A header section over {@value #MAX_HEADER_BYTES} octets gives a PERMERROR for each signature found before
     * that point, or one PERMERROR without domain when none was.
     *
     * @throws IOException when the stream cannot be read
     */
    public CompletionStage<List<DkimResult>> verify(InputStream message) throws IOException {
        InputStream in = new BufferedInputStream(message, 65536);
        HeaderSection header = HeaderSection.read(in, MAX_HEADER_BYTES);
        List<Integer> fields = header.indexOf(Set.of("dkim-signature")).getOrDefault("dkim-signature", List.of());
        if (header.truncated()) {
            return CompletableFuture.completedFuture(tooLarge(header, fields));
        }
        if (fields.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        long now = clock.instant().getEpochSecond();
        List<CompletableFuture<DkimResult>> results = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            String field = header.field(fields.get(i));
            if (i >= MAX_SIGNATURES) {
                results.add(CompletableFuture.completedFuture(DkimSignature.unparsed(field, Result.PERMERROR,
                        "too many signatures (only the first " + MAX_SIGNATURES + " are verified)")));
                continue;
            }
            try {
                DkimSignature signature = DkimSignature.parse(field, now);
                // asked now, so that the answer comes while the body is read
                Check check = new Check(signature, fields.get(i), dns.query(signature.keyName(), Type.TXT));
                checks.add(check);
                results.add(check.result);
            } catch (DkimException e) {
                results.add(CompletableFuture.completedFuture(DkimSignature.unparsed(field, e.result(),
                        e.getMessage())));
            }
        }
        if (!checks.isEmpty()) {
            hashBodies(in, checks);
            hashHeaders(header, checks);
            for (Check check : checks) {
                check.conclude();
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    }

    private static List<DkimResult> tooLarge(HeaderSection header, List<Integer> fields) {
        String reason = "header section over " + MAX_HEADER_BYTES + " octets";
        if (fields.isEmpty()) {
            return List.of(new DkimResult(Result.PERMERROR, null, null, null, null, null, false, reason));
        }
        return fields.stream().map(i -> DkimSignature.unparsed(header.field(i), Result.PERMERROR, reason)).toList();
    }

    /**
     * One pass over the body: one canonicalizer per canonicalization in use, feeding one hash per canonicalization
     * and l= (signatures that agree on both share it).
     */
    private static void hashBodies(InputStream in, List<Check> checks) throws IOException {
        Map<Canonicalization, Map<HashKey, BodyHash>> hashes = new EnumMap<>(Canonicalization.class);
        for (Check check : checks) {
            DkimSignature signature = check.signature;
            HashKey key = new HashKey(signature.algorithm().digest(),
                    signature.length() < 0 ? Long.MAX_VALUE : signature.length());
            check.bodyHash = hashes.computeIfAbsent(signature.body(), c -> new HashMap<>())
                    .computeIfAbsent(key, k -> new BodyHash(k.digest(), k.limit()));
        }
        Map<Canonicalization, BodyCanonicalizer> canonicalizers = new EnumMap<>(Canonicalization.class);
        hashes.forEach((canonicalization, byLimit) -> canonicalizers.put(canonicalization,
                new BodyCanonicalizer(canonicalization, List.copyOf(byLimit.values()))));
        byte[] buffer = new byte[65536];
        for (int n; (n = in.read(buffer)) != -1; ) {
            for (BodyCanonicalizer canonicalizer : canonicalizers.values()) {
                canonicalizer.update(buffer, 0, n);
            }
        }
        canonicalizers.values().forEach(BodyCanonicalizer::finish);
        for (Check check : checks) {
            check.bodyLength = canonicalizers.get(check.signature.body()).length();
            check.bodyHashValue = check.bodyHash.value();
        }
    }

    private record HashKey(String digest, long limit) {
    }

    /**
     * §3.7: the fields h= names, each name taking that field's instances from the bottom up (a name listed more
     * often than the field occurs adds nothing for the extra ones: over-signing against added fields), then the
     * signature's own field with b= emptied and no CRLF. A signature that names DKIM-Signature in h= signed the ones
     * already there when it was made: its own field, added after, is not among the instances (dkimpy 1.1 counts
     * it, which makes a signature that lists DKIM-Signature more often than there were fail there).
     */
    private static void hashHeaders(HeaderSection header, List<Check> checks) {
        Set<String> names = new HashSet<>();
        checks.forEach(check -> names.addAll(check.signature.signedHeaders()));
        Map<String, List<Integer>> index = header.indexOf(names);
        for (Check check : checks) {
            DkimSignature signature = check.signature;
            MessageDigest digest = sha256();
            header.hashSigned(digest, signature.signedHeaders(), index, signature.header(), check.field);
            digest.update(signature.hashedField().getBytes(StandardCharsets.ISO_8859_1));
            check.headerHash = digest.digest();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * One signature on its way: filled in on the reading thread (body and header hashes), concluded when its key
     * record comes. The fields are written before {@link #conclude()} chains on the answer, so the thread that
     * completes it sees them.
     */
    private static final class Check {
        final DkimSignature signature;
        final int field;
        final CompletionStage<DnsAnswer> key;
        final CompletableFuture<DkimResult> result = new CompletableFuture<>();
        BodyHash bodyHash;
        byte[] bodyHashValue;
        long bodyLength;
        byte[] headerHash;

        Check(DkimSignature signature, int field, CompletionStage<DnsAnswer> key) {
            this.signature = signature;
            this.field = field;
            this.key = key;
        }

        void conclude() {
            key.thenApply(this::verify).whenComplete((verified, failure) -> {
                if (failure != null) { // a fault of ours: not the sender's, so not final either
                    LOG.warn("DKIM verification of d={} s={} failed", signature.domain(), signature.selector(),
                            failure);
                    result.complete(signature.result(Result.TEMPERROR, false, "verifier error: " + failure));
                } else {
                    result.complete(verified);
                }
            });
        }

        private DkimResult verify(DnsAnswer answer) {
            if (answer.isNegative()) {
                return signature.result(Result.PERMERROR, false, "no key at " + signature.keyName());
            }
            if (!answer.isFound()) {
                return signature.result(Result.TEMPERROR, false, "key lookup at " + signature.keyName() + ": "
                        + answer.status().name().toLowerCase(java.util.Locale.ROOT)
                        + (answer.error() == null ? "" : " (" + answer.error() + ")"));
            }
            KeyRecord key;
            try {
                key = KeyRecord.select(answer.records(), signature);
            } catch (DkimException e) {
                return signature.result(e.result(), false, e.getMessage());
            }
            String testing = key.testing() ? "; the domain is testing DKIM (t=y)" : "";
            long length = signature.length();
            if (length > bodyLength) {
                return signature.result(Result.FAIL, false, "l=" + length + " is longer than the body ("
                        + bodyLength + " octets)" + testing);
            }
            if (!MessageDigest.isEqual(bodyHashValue, signature.bodyHash())) {
                return signature.result(Result.FAIL, false, "body hash did not verify" + testing);
            }
            boolean valid;
            try {
                valid = signature.algorithm().verify(key.key(), headerHash, signature.signature());
            } catch (GeneralSecurityException e) {
                return signature.result(Result.PERMERROR, false, "key record: unusable key (" + e.getMessage()
                        + ")");
            }
            if (!valid) {
                return signature.result(Result.FAIL, false, "signature did not verify" + testing);
            }
            boolean partial = length >= 0 && length < bodyLength;
            String note = (partial ? "; l= covers " + length + " of " + bodyLength + " body octets" : "") + testing;
            return signature.result(Result.PASS, partial, note.isEmpty() ? null : note.substring(2));
        }
    }
}
