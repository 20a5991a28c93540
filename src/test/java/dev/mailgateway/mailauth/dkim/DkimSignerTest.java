package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.dkim.DkimResult.Result;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signer against two verifiers: ours (keys from a DNS server on loopback) and dkimpy (Debian's python3-dkim),
 * for RSA and Ed25519; what h= names; what breaks a signature and what does not; line ends as the relay sends them;
 * limits.
 */
class DkimSignerTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final String MESSAGE = "Received: from client.test by gw.test; Fri, 4 Dec 2026 10:00:00 +0000\r\n"
            + "From: Alice <alice@example.test>\r\nTo: bob@example.org\r\nTo: carol@example.org\r\n"
            + "Subject: Signed\r\nDate: Fri, 4 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.test>\r\n"
            + "X-Mailer: test\r\n\r\nHello,\r\n\r\n  a body  with spaces \r\nand lines.\r\n";

    private static PythonDkim python;
    private static DnsServer server;
    private static Dns dns;
    private static TestKeys.Key rsaPair;
    private static TestKeys.Key edPair;
    private static SigningKey rsa;
    private static SigningKey ed;
    private final DkimSigner signer = new DkimSigner(DkimSigner.RECOMMENDED, DkimSigner.OVERSIGNED,
            new ManualClock(NOW));

    @BeforeAll
    static void keys() throws Exception {
        python = PythonDkim.required();
        server = DnsServer.start();
        dns = Dns.create(server.address(), Duration.ofSeconds(5));
        rsaPair = TestKeys.rsa(2048);
        edPair = TestKeys.ed25519();
        rsaPair.publish(server, "rsa", "example.test");
        edPair.publish(server, "ed", "example.test");
        rsa = new SigningKey("example.test", "rsa", SignatureAlgorithm.RSA_SHA256, rsaPair.pair().getPrivate(), null);
        ed = new SigningKey("example.test", "ed", SignatureAlgorithm.ED25519_SHA256, edPair.pair().getPrivate(),
                null);
    }

    @AfterAll
    static void close() {
        dns.close();
        server.close();
    }

    private byte[] signatures(String message, SigningKey... keys) throws Exception {
        return signer.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), List.of(keys))
                .orElseThrow();
    }

    private String signed(String message, SigningKey... keys) throws Exception {
        return new String(signatures(message, keys), StandardCharsets.ISO_8859_1) + message;
    }

    private static List<DkimResult> verify(String message) throws Exception {
        return new DkimVerifier(dns, new ManualClock(NOW)).verify(new ByteArrayInputStream(
                message.getBytes(StandardCharsets.ISO_8859_1))).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static List<Result> results(String message) throws Exception {
        return verify(message).stream().map(DkimResult::result).toList();
    }

    private static boolean dkimpy(String message, TestKeys.Key key) throws Exception {
        return python.verdicts(List.of(message.getBytes(StandardCharsets.ISO_8859_1)), key.record()).get(0);
    }

    @Test
    void rsaAndEd25519SignaturesOnTopVerifyHereAndWithDkimpy() throws Exception {
        String signed = signed(MESSAGE, rsa, ed);

        assertThat(signed).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=rsa;");
        assertThat(signed.indexOf("DKIM-Signature: v=1; a=ed25519-sha256;")).isGreaterThan(0);
        assertThat(signed).endsWith(MESSAGE);
        List<DkimResult> ours = verify(signed);
        assertThat(ours).extracting(DkimResult::result, DkimResult::domain, DkimResult::selector,
                DkimResult::algorithm).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Result.PASS, "example.test", "rsa", "rsa-sha256"),
                        org.assertj.core.groups.Tuple.tuple(Result.PASS, "example.test", "ed", "ed25519-sha256"));
        // dkimpy verifies the first field: rsa as signed, ed25519 once the rsa field is gone
        assertThat(dkimpy(signed, rsaPair)).isTrue();
        assertThat(dkimpy(signed(MESSAGE, ed), edPair)).isTrue();
    }

    @Test
    void hListsThePresentRecommendedFieldsAsOftenAsTheyOccurAndFromOnceMore() throws Exception {
        String field = new String(signatures(MESSAGE, rsa), StandardCharsets.ISO_8859_1);
        String unfolded = field.replace("\r\n\t", " ");

        assertThat(tag(unfolded, "h").replace(" ", "")).isEqualTo("From:From:Subject:Date:To:To:Message-ID");
        assertThat(tag(unfolded, "t")).isEqualTo(String.valueOf(NOW.getEpochSecond()));
        assertThat(tag(unfolded, "c")).isEqualTo("relaxed/relaxed");
        assertThat(unfolded).doesNotContain(" l=").doesNotContain(" i=").doesNotContain(" x=");
        assertThat(field).endsWith("\r\n");
        for (String line : field.split("\r\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
        }
    }

    @Test
    void longSignedFieldListsAreFoldedAtColonsAndStillVerify() throws Exception {
        StringBuilder message = new StringBuilder();
        for (String name : DkimSigner.RECOMMENDED) {
            message.append(name).append(": ").append(name.equals("From") ? "a@example.test" : "x").append("\r\n");
        }
        String text = message.append("\r\nbody\r\n").toString();
        String field = new String(signatures(text, rsa, ed), StandardCharsets.ISO_8859_1);

        assertThat(field.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(tag(field.replace("\r\n\t", ""), "h").split(":")).hasSize(DkimSigner.RECOMMENDED.size() + 1);
        assertThat(results(field + text)).containsExactly(Result.PASS, Result.PASS);
        assertThat(dkimpy(field + text, rsaPair)).isTrue();
    }

    @Test
    void aFromOrSubjectAddedOrChangedLaterFailsAReceivedOnTopDoesNot() throws Exception {
        String signed = signed(MESSAGE, rsa);
        String fields = signed.substring(0, signed.indexOf("Received:"));

        assertThat(results("Received: from gw.test by next.test\r\n" + signed)).containsExactly(Result.PASS);
        assertThat(results("X-Added: yes\r\n" + signed)).containsExactly(Result.PASS);
        // over-signed: a second From, on top or at the bottom of the header section, is not the signed one
        assertThat(results("From: Mallory <m@example.test>\r\n" + signed)).containsExactly(Result.FAIL);
        assertThat(results(fields + MESSAGE.replace("\r\n\r\n", "\r\nFrom: m@example.test\r\n\r\n")))
                .containsExactly(Result.FAIL);
        assertThat(results(fields + MESSAGE.replace("Subject: Signed", "Subject: Changed")))
                .containsExactly(Result.FAIL);
        assertThat(results(fields + MESSAGE.replace("and lines.", "and lines!"))).containsExactly(Result.FAIL);
        assertThat(dkimpy("From: Mallory <m@example.test>\r\n" + signed, rsaPair)).isFalse();
    }

    @Test
    void bareLineEndsAreSignedAsTheRelaySendsThemCrlf() throws Exception {
        String spooled = "From: alice@example.test\nSubject: mixed\r\nTo: bob@example.org\n\n"
                + "CRLF line\r\nbare LF line\nbare CR\rline\r\nno final line end";
        byte[] fields = signatures(spooled, rsa, ed);
        String onTheWire = new String(fields, StandardCharsets.ISO_8859_1) + wire(spooled);

        assertThat(results(onTheWire)).containsExactly(Result.PASS, Result.PASS);
        assertThat(dkimpy(onTheWire, rsaPair)).isTrue();
        // a message with CRLF only is signed as it is: the same signatures
        assertThat(signatures(wire(spooled), rsa, ed)).isEqualTo(fields);
    }

    @Test
    void aHeaderSectionOverTheLimitIsNotSigned() throws Exception {
        String huge = "From: a@example.test\r\nX-Big: " + "x".repeat(DkimVerifier.MAX_HEADER_BYTES) + "\r\n\r\nbody\r\n";

        assertThat(signer.sign(new ByteArrayInputStream(huge.getBytes(StandardCharsets.US_ASCII)), List.of(rsa)))
                .isEmpty();
    }

    @Test
    void aLargeBodyIsStreamedNotHeld() throws Exception {
        long size = 32L << 20;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        byte[] fields = signer.sign(new GeneratedMessage(size), List.of(rsa, ed)).orElseThrow();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated to sign %d", size).isLessThan(4L << 20);
        List<DkimResult> results = new DkimVerifier(dns, new ManualClock(NOW)).verify(new SequenceInputStream(
                new ByteArrayInputStream(fields), new GeneratedMessage(size))).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        assertThat(results).extracting(DkimResult::result).containsExactly(Result.PASS, Result.PASS);
    }

    /** A tag's value in a field (unfolded). */
    private static String tag(String field, String name) {
        Matcher m = Pattern.compile("[:;\\s]" + name + "=([^;]*)").matcher(field);
        assertThat(m.find()).as(name + "= in " + field).isTrue();
        return m.group(1).strip();
    }

    /** What relay/DotStuffer puts on the wire (before dot-stuffing): every bare CR or LF as CRLF, CRLF at the end. */
    private static String wire(String message) {
        String crlf = message.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        return crlf.endsWith("\r\n") ? crlf : crlf + "\r\n";
    }

    /** A message of {@code size} octets made as it is read: nothing of it is ever held. */
    private static final class GeneratedMessage extends InputStream {
        private static final byte[] HEAD = "From: a@example.test\r\nSubject: large\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        private static final byte[] LINE = "0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private long position;

        GeneratedMessage(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            long at = position++;
            return at < HEAD.length ? HEAD[(int) at] : LINE[(int) ((at - HEAD.length) % LINE.length)];
        }

        @Override
        public int read(byte[] out, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                out[offset + i] = (byte) read();
            }
            return n;
        }
    }
}
