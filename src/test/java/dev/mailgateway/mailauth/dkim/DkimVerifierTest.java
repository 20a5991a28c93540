package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.dkim.DkimResult.Result;
import dev.mailgateway.mailauth.dkim.PythonDkim.Signing;
import dev.mailgateway.testing.DnsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifier's results, on messages signed by dkimpy (an independent implementation) with keys made by the JDK
 * and served by a DNS server on loopback.
 */
class DkimVerifierTest {

    /** Generous: the server on loopback answers at once, unless the machine is very busy. */
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(5);

    private static final String MESSAGE = """
            Received: from relay.example.test by mx.example.org; Mon, 30 Nov 2026 10:00:02 +0000\r
            Received: from client.example.test by relay.example.test; Mon, 30 Nov 2026 10:00:01 +0000\r
            From: Alice <alice@example.test>\r
            To: Bob <bob@example.org>\r
            Subject: Quarterly figures\r
            Date: Mon, 30 Nov 2026 10:00:00 +0000\r
            Message-ID: <figures.1@example.test>\r
            \r
            Hello Bob,\r
            \r
            the figures are attached.\r
            """;

    private static PythonDkim python;
    private static TestKeys.Key rsa;
    private static TestKeys.Key ed25519;

    private DnsServer server;
    private Dns dns;

    @BeforeAll
    static void keys() throws Exception {
        python = PythonDkim.required();
        rsa = TestKeys.rsa(2048);
        ed25519 = TestKeys.ed25519();
    }

    @BeforeEach
    void dns() throws IOException {
        server = DnsServer.start();
        dns = Dns.create(server.address(), DNS_TIMEOUT);
        rsa.publish(server, "rsa", "example.test");
        ed25519.publish(server, "ed", "example.test");
    }

    @AfterEach
    void close() {
        dns.close();
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"rsa, relaxed/relaxed", "rsa, simple/simple", "ed, relaxed/relaxed", "ed, simple/simple",
            "rsa, relaxed/simple", "ed, simple/relaxed"})
    void signaturesMadeByDkimpyPass(String selector, String canonicalization) throws Exception {
        TestKeys.Key key = selector.equals("rsa") ? rsa : ed25519;
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), selector, key, canonicalization));

        DkimResult result = single(verify(signed));

        assertThat(result.result()).as(result.reason()).isEqualTo(Result.PASS);
        assertThat(result.domain()).isEqualTo("example.test");
        assertThat(result.selector()).isEqualTo(selector);
        assertThat(result.algorithm()).isEqualTo(key.algorithm());
        assertThat(result.identity()).isEqualTo("@example.test"); // dkimpy always writes i=
        assertThat(result.signature()).isNotBlank().doesNotContain(" ", "\t", "\r", "\n");
        assertThat(result.partialBody()).isFalse();
        assertThat(result.reason()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed"})
    void bodyChangedByOneOctetFailsOnTheBodyHash(String selector) throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), selector, key(selector), "relaxed/relaxed"));

        DkimResult result = single(verify(replace(signed, "attached", "attacked")));

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.reason()).isEqualTo("body hash did not verify");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ed"})
    void signedHeaderChangedFailsOnTheSignature(String selector) throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), selector, key(selector), "relaxed/relaxed"));

        DkimResult result = single(verify(replace(signed, "Quarterly figures", "Quarterly Figures")));

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.reason()).isEqualTo("signature did not verify");
    }

    @Test
    void headerAddedOutsideHStillPasses() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "rsa", rsa, "simple/simple")
                .headers("from", "to", "subject"));

        assertThat(single(verify(join("X-Spam-Score: 0.1\r\n", signed))).result()).isEqualTo(Result.PASS);
    }

    /** Over-signing: h= names a field the message lacks, so that one added later breaks the signature. */
    @Test
    void fieldNamedInHButAbsentSignsAsNothingAndBreaksTheSignatureWhenAdded() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "ed", ed25519, "relaxed/relaxed")
                .headers("from", "from", "subject", "subject", "reply-to"));

        assertThat(single(verify(signed)).result()).isEqualTo(Result.PASS);
        assertThat(single(verify(join("Reply-To: mallory@evil.test\r\n", signed))).result())
                .isEqualTo(Result.FAIL);
        assertThat(single(verify(join("Subject: Pay now\r\n", signed))).result()).isEqualTo(Result.FAIL);
    }

    /** A relay adds a Received field on top: h= named one Received, which is the bottom one, so it still passes. */
    @Test
    void repeatedFieldsAreTakenFromTheBottomUp() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "rsa", rsa, "relaxed/relaxed")
                .headers("from", "received"));

        assertThat(single(verify(join("Received: from mx.example.org by gw.example.org\r\n", signed))).result())
                .isEqualTo(Result.PASS);
        assertThat(single(verify(replace(signed, "from client.example.test", "from other.example.test")))
                .result()).isEqualTo(Result.FAIL);
        assertThat(single(verify(replace(signed, "from relay.example.test", "from other.example.test")))
                .result()).isEqualTo(Result.PASS); // the top Received was not signed
    }

    /**
     * h= may name DKIM-Signature to cover the signatures already there: the signature's own field came after and
     * is not one of them (dkimpy counts it, and fails this message).
     */
    @Test
    void signatureNamingDkimSignatureInHDoesNotCountItsOwnField() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "ed", ed25519, "relaxed/relaxed")
                .headers("from", "subject", "dkim-signature"));

        assertThat(single(verify(signed)).result()).isEqualTo(Result.PASS);
        String later = "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=x; h=from; bh=AAAA; b=AAAA\r\n";
        assertThat(verify(join(later, signed))).extracting(DkimResult::result)
                .containsExactly(Result.PERMERROR, Result.FAIL); // no key for the later one; it was over-signed
    }

    @Test
    void missingKeyIsPermerror() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "gone", rsa, "relaxed/relaxed"));

        DkimResult result = single(verify(signed));

        assertThat(result.result()).isEqualTo(Result.PERMERROR);
        assertThat(result.reason()).isEqualTo("no key at gone._domainkey.example.test");
        assertThat(result.selector()).isEqualTo("gone");
    }

    @Test
    void keyLookupTimingOutIsTemperror() throws Exception {
        server.drop("slow._domainkey.example.test");
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "slow", rsa, "relaxed/relaxed"));
        try (Dns impatient = Dns.create(server.address(), Duration.ofMillis(300))) {
            List<DkimResult> results = new DkimVerifier(impatient).verify(new ByteArrayInputStream(signed))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(single(results).result()).isEqualTo(Result.TEMPERROR);
            assertThat(single(results).reason()).startsWith("key lookup at slow._domainkey.example.test: timeout");
        }
    }

    @Test
    void keyLookupServfailIsTemperror() throws Exception {
        server.servfail("rsa._domainkey.example.test", 1);
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "rsa", rsa, "relaxed/relaxed"));

        assertThat(single(verify(signed)).result()).isEqualTo(Result.TEMPERROR);
        assertThat(single(verify(signed)).result()).isEqualTo(Result.PASS); // not cached: asked again, answered
    }

    /** RFC 8301 §3.1; not even worth a DNS question. */
    @Test
    void rsaSha1IsPolicyWithoutAKeyLookup() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "rsa", TestKeys.sha1(rsa), "relaxed/relaxed"));

        DkimResult result = single(verify(signed));

        assertThat(result.result()).isEqualTo(Result.POLICY);
        assertThat(result.algorithm()).isEqualTo("rsa-sha1");
        assertThat(result.reason()).contains("rsa-sha1", "RFC 8301");
        assertThat(server.queries()).isEmpty();
    }

    @Test
    void bodyLengthShorterThanTheBodyPassesWithPartialBody() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "rsa", rsa, "relaxed/relaxed").withLength());
        byte[] appended = join(new String(signed, StandardCharsets.ISO_8859_1), bytes("-- \r\nSent by a list\r\n"));

        DkimResult whole = single(verify(signed));
        DkimResult partial = single(verify(appended));

        assertThat(whole.result()).isEqualTo(Result.PASS);
        assertThat(whole.partialBody()).isFalse();
        assertThat(partial.result()).isEqualTo(Result.PASS);
        assertThat(partial.partialBody()).isTrue();
        assertThat(partial.reason()).startsWith("l= covers ");
    }

    @Test
    void bodyLengthLongerThanTheBodyFails() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "ed", ed25519, "simple/simple").withLength());

        DkimResult result = single(verify(replace(signed, "the figures are attached.\r\n", "")));

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.reason()).contains("longer than the body");
    }

    @Test
    void rsaAndEd25519SignaturesGiveTwoResultsInHeaderOrder() throws Exception {
        byte[] once = python.signed(new Signing(bytes(MESSAGE), "rsa", rsa, "relaxed/relaxed"));
        byte[] twice = python.signed(new Signing(once, "ed", ed25519, "simple/simple")
                .headers("from", "to", "subject", "dkim-signature"));

        List<DkimResult> results = verify(twice);

        assertThat(results).extracting(DkimResult::algorithm).containsExactly("ed25519-sha256", "rsa-sha256");
        assertThat(results).extracting(DkimResult::result).containsExactly(Result.PASS, Result.PASS);
        // the Ed25519 signature covers the RSA one, simple: one more space there breaks it, and not the relaxed RSA
        assertThat(verify(replace(twice, "a=rsa-sha256; ", "a=rsa-sha256;  "))).extracting(DkimResult::result)
                .containsExactly(Result.FAIL, Result.PASS);
    }

    @Test
    void rsaKeyOf1024BitsPassesAndOf512BitsIsPolicy() throws Exception {
        TestKeys.Key bits1024 = TestKeys.rsa(1024);
        TestKeys.Key bits512 = TestKeys.rsa(512);
        bits1024.publish(server, "k1024", "example.test");
        bits512.publish(server, "k512", "example.test");

        DkimResult passed = single(verify(python.signed(new Signing(bytes(MESSAGE), "k1024", bits1024,
                "relaxed/relaxed"))));
        DkimResult refused = single(verify(python.signed(new Signing(bytes(MESSAGE), "k512", bits512,
                "relaxed/relaxed"))));

        assertThat(passed.result()).isEqualTo(Result.PASS);
        assertThat(refused.result()).isEqualTo(Result.POLICY);
        assertThat(refused.reason()).contains("512 bits");
    }

    /** RFC 6376 §6.1.2: an empty p= is a revoked key, "a failed signature check". */
    @Test
    void revokedKeyFails() throws Exception {
        server.txt("revoked._domainkey.example.test", "v=DKIM1; k=rsa; p=");
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "revoked", rsa, "relaxed/relaxed"));

        DkimResult result = single(verify(signed));

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.reason()).isEqualTo("key revoked");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=DKIM1; h=sha1; p=KEY", // a hash the record does not allow
        "v=DKIM1; k=ed25519; p=KEY", // a key of another type than a=
        "v=DKIM1; s=other; p=KEY", // not a key for email
        "k=rsa; v=DKIM1; p=KEY", // v= must come first
        "v=DKIM1; k=rsa", // no p=
        "v=DKIM1; p=AAAA", // not a key
        "v=DKIM1; p=not*base64", // not base64
        "v=DKIM1; p=KEY; p=KEY", // a tag twice
        "v=DKIM2; p=KEY", // another version: discarded, so there is no key record
    })
    void keyRecordsThatDoNotFitArePermerror(String record) throws Exception {
        server.longTxt("odd._domainkey.example.test", record.replace("KEY", rsa.p()));
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "odd", rsa, "relaxed/relaxed"));

        DkimResult result = single(verify(signed));

        assertThat(result.result()).as(result.reason()).isEqualTo(Result.PERMERROR);
    }

    @Test
    void keyRecordWithOptionalTagsPassesAndOtherTxtRecordsAreIgnored() throws Exception {
        server.txt("extra._domainkey.example.test", "v=spf1 -all");
        server.longTxt("extra._domainkey.example.test", "v=DKIM1; h=sha1:sha256; s=*:email; t=y; n=notes; "
                + "future=tag; k=rsa; p=" + rsa.p().substring(0, 100) + " \t" + rsa.p().substring(100));
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "extra", rsa, "relaxed/relaxed"));

        DkimResult result = single(verify(signed));

        assertThat(result.result()).isEqualTo(Result.PASS);
        assertThat(result.reason()).contains("testing DKIM (t=y)");
    }

    @Test
    void twoKeyRecordsArePermerror() throws Exception {
        server.longTxt("twice._domainkey.example.test", rsa.record());
        server.longTxt("twice._domainkey.example.test", rsa.record() + "; n=again");
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "twice", rsa, "relaxed/relaxed"));

        assertThat(single(verify(signed)).result()).isEqualTo(Result.PERMERROR);
    }

    /** RFC 6376 §3.6.1 t=s: i= must be in d= itself. */
    @Test
    void strictKeyRefusesAnIdentityBelowTheDomain() throws Exception {
        server.longTxt("strict._domainkey.example.test", "v=DKIM1; t=s; p=" + rsa.p());
        Signing signing = new Signing(bytes(MESSAGE), "strict", rsa, "relaxed/relaxed");

        DkimResult below = single(verify(python.signed(signing.identity("alice@mail.example.test"))));
        DkimResult same = single(verify(python.signed(signing.identity("alice@example.test"))));

        assertThat(below.result()).isEqualTo(Result.PERMERROR);
        assertThat(below.identity()).isEqualTo("alice@mail.example.test");
        assertThat(same.result()).isEqualTo(Result.PASS);
    }

    /** dkimpy only checks that i= ends with d= as text: "badexample.test" does, and is not below it. */
    @Test
    void identityOutsideTheDomainIsPermerror() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "rsa", rsa, "relaxed/relaxed")
                .identity("@badexample.test"));

        DkimResult result = single(verify(signed));

        assertThat(result.result()).isEqualTo(Result.PERMERROR);
        assertThat(result.reason()).isEqualTo("i= is not within d=");
    }

    @Test
    void timestampInTheFutureIsTolerated() throws Exception {
        byte[] signed = python.signed(new Signing(bytes(MESSAGE), "rsa", rsa, "relaxed/relaxed"));
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));

        assertThat(single(verify(new DkimVerifier(dns, anHourAgo), signed)).result()).isEqualTo(Result.PASS);
    }

    /** RFC 6376 §6.1.1: an expired signature may be ignored with PERMFAIL; PERMERROR here, without a key lookup. */
    @Test
    void expiredSignatureIsPermerror() throws Exception {
        String field = "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA;\r\n"
                + "\tt=1700000000; x=1700086400\r\n";
        Clock after = Clock.fixed(Instant.ofEpochSecond(1700086401), ZoneOffset.UTC);
        Clock before = Clock.fixed(Instant.ofEpochSecond(1700086400), ZoneOffset.UTC);

        DkimResult expired = single(verify(new DkimVerifier(dns, after), join(field, bytes(MESSAGE))));

        assertThat(expired.result()).isEqualTo(Result.PERMERROR);
        assertThat(expired.reason()).isEqualTo("signature expired");
        assertThat(expired.domain()).isEqualTo("example.test");
        assertThat(server.queries()).isEmpty();
        DkimResult current = single(verify(new DkimVerifier(dns, before), join(field, bytes(MESSAGE))));
        assertThat(current.result()).isEqualTo(Result.FAIL); // verified, and the made-up hashes do not match
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; b=AAAA                  | missing tag bh=",
        "v=2; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA         | unknown version v=2",
        "v=1; a=rsa-sha512; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA         | unknown algorithm a=rsa-sha512",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=to:subject; bh=AAAA; b=AAAA   | h= does not include From",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from::to; bh=AAAA; b=AAAA     | h= has a bad field name: ",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA; s=x    | tag s= given twice",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA; l=1e3  | bad number l=1e3",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA; q=dns  | no known query method q=dns",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA; c=odd  | unknown canonicalization c=odd",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA; i=x.y  | i= has no @",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA; t=9; x=8 | x= is before t=",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=              | empty b=",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AA*A; b=AAAA         | bh= is not base64",
        "v=1; a=rsa-sha256; d=..; s=rsa; h=from; bh=AAAA; b=AAAA                   | d= or s= is not a domain name",
        "v=1; a=rsa-sha256; d=example.test; s=rsa; h=from; bh=AAAA; b=AAAA; 1x=y   | bad tag name: 1x",
    })
    void malformedSignaturesArePermerrorWithoutAKeyLookup(String tags, String reason) throws Exception {
        DkimResult result = single(verify(join("DKIM-Signature: " + tags + "\r\n", bytes(MESSAGE))));

        assertThat(result.result()).isEqualTo(Result.PERMERROR);
        assertThat(result.reason()).startsWith(reason);
        assertThat(server.queries()).isEmpty();
    }

    @Test
    void signaturesAfterTheTenthArePermerror() throws Exception {
        List<Signing> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(new Signing(bytes(MESSAGE), i % 2 == 0 ? "rsa" : "ed", i % 2 == 0 ? rsa : ed25519,
                    "relaxed/relaxed").headers("from", "to", "subject"));
        }
        byte[] message = bytes(MESSAGE);
        for (byte[] field : python.signatures(jobs)) {
            message = PythonDkim.prepend(field, message);
        }

        List<DkimResult> results = verify(message);

        assertThat(results).hasSize(12);
        assertThat(results.subList(0, 10)).extracting(DkimResult::result).containsOnly(Result.PASS);
        assertThat(results.subList(10, 12)).allSatisfy(result -> {
            assertThat(result.result()).isEqualTo(Result.PERMERROR);
            assertThat(result.reason()).startsWith("too many signatures");
            assertThat(result.domain()).isEqualTo("example.test");
        });
    }

    @Test
    void headerSectionOverTheLimitIsPermerrorNotAnException() throws Exception {
        String field = new String(python.signatures(List.of(new Signing(bytes(MESSAGE), "rsa", rsa,
                "relaxed/relaxed"))).get(0), StandardCharsets.ISO_8859_1);
        String filler = "X-Filler: " + "f".repeat(990) + "\r\n";
        String fillers = filler.repeat(DkimVerifier.MAX_HEADER_BYTES / filler.length() + 1);

        DkimResult signedFirst = single(verify(join(field + fillers, bytes(MESSAGE))));
        DkimResult signedAfter = single(verify(join(fillers + field, bytes(MESSAGE))));

        assertThat(signedFirst.result()).isEqualTo(Result.PERMERROR);
        assertThat(signedFirst.domain()).isEqualTo("example.test");
        assertThat(signedFirst.reason()).startsWith("header section over");
        assertThat(signedAfter.result()).isEqualTo(Result.PERMERROR);
        assertThat(signedAfter.domain()).isNull(); // no signature seen: one result says there may have been some
        assertThat(server.queries()).isEmpty();
    }

    @Test
    void messageWithoutSignatureHasNoResultsAndItsBodyIsNotRead() throws Exception {
        String header = MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 4);
        InputStream body = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the body was read");
            }
        };
        InputStream message = new SequenceInputStream(new ByteArrayInputStream(bytes(header)), body);

        assertThat(new DkimVerifier(dns).verify(message).toCompletableFuture().get(30, TimeUnit.SECONDS)).isEmpty();
    }

    /** Several megabytes through the 8 KB canonicalizer buffer and 64 KB reads, whitespace runs across both. */
    @ParameterizedTest
    @ValueSource(strings = {"relaxed/relaxed", "simple/simple"})
    void bodyOfSeveralMegabytesPasses(String canonicalization) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 3_000_000; i++) {
            body.append("line ").append(i).append(" \t ".repeat(i % 7)).append("x".repeat(i % 113))
                    .append(" ".repeat(i % 5)).append("\r\n");
            if (i % 50 == 0) {
                body.append("\r\n\r\n");
            }
        }
        body.append("\r\n\r\n \r\n");
        String message = MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 4) + body;
        byte[] signed = python.signed(new Signing(bytes(message), "ed", ed25519, canonicalization));

        assertThat(single(verify(signed)).result()).isEqualTo(Result.PASS);
    }

    private TestKeys.Key key(String selector) {
        return selector.equals("rsa") ? rsa : ed25519;
    }

    private List<DkimResult> verify(byte[] message) throws Exception {
        return verify(new DkimVerifier(dns), message);
    }

    /** Generous: every stage is due within the DNS timeout; this only keeps a broken one from hanging. */
    private static List<DkimResult> verify(DkimVerifier verifier, byte[] message) throws Exception {
        return verifier.verify(new ByteArrayInputStream(message)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static DkimResult single(List<DkimResult> results) {
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] join(String first, byte[] rest) {
        return PythonDkim.prepend(first.getBytes(StandardCharsets.ISO_8859_1), rest);
    }

    /** The message with the first occurrence of {@code from} replaced (octets as ISO-8859-1 text). */
    static byte[] replace(byte[] message, String from, String to) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(from);
        return text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
