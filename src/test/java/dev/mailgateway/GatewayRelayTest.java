package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.relay.RecipientProbe;
import dev.mailgateway.relay.SmtpRelayComponent;
import dev.mailgateway.testing.AngusMail;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.TraceHeader;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped application from listener to next hop: accepted on the spool, relayed by the relay route to the
 * next hops of the transport map (real SMTP servers), with exact envelopes and unchanged bytes.
 */
class GatewayRelayTest {

    private static final Pattern TOKEN = Pattern.compile("X-Test-Token: (\\d+)");

    @TempDir
    Path dir;

    private TestGateway gateway(Sink a, Sink b, Map<String, String> more) throws Exception {
        Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                "gateway.transport-map", "a.test=" + a.address() + ",b.test=" + b.address(),
                "gateway.relay.retry-schedule", "1s",
                "gateway.relay.consumers", "4"));
        overrides.putAll(more);
        return TestGateway.start(dir, overrides);
    }

    private static String token(byte[] content) {
        Matcher m = TOKEN.matcher(new String(content, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "none";
    }

    /** The sink's bytes with the gateway's Received header taken off too: what the client sent. */
    private static byte[] original(Sink.Received received) {
        return TraceHeader.strip(received.content());
    }

    @Test
    void twoHundredMessagesWithThreeRecipientsArriveWithExactEnvelopesAndBytes() throws Exception {
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        try (Sink a = Sink.start(""); Sink b = Sink.start(""); TestGateway gateway = gateway(a, b, Map.of())) {
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    try (SmtpClient smtp = SmtpClient.ehlo(gateway.port())) {
                        for (int i = client * 50; i < client * 50 + 50; i++) {
                            String content = "Message-ID: <" + i + "@src.test>\r\nX-Test-Token: " + i
                                    + "\r\nSubject: n\u00e9 " + i + "\r\n\r\nbody " + i + "\r\n.\u00e9 dot line\r\n";
                            sent.put(String.valueOf(i), content.getBytes(StandardCharsets.UTF_8));
                            smtp.sendMessage("s" + i + "@src.test", content.replace("\r\n.", "\r\n.."),
                                    "x" + i + "@a.test", "y" + i + "@b.test", "z" + i + "@a.test");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            clients.shutdown();
            await().atMost(Duration.ofMinutes(3)).until(() -> a.received().size() >= 200 && b.received().size() >= 200);
            assertThat(a.received()).hasSize(200);
            assertThat(b.received()).hasSize(200);
            for (Sink.Received received : a.received()) {
                String i = token(received.content());
                assertThat(received.sender()).isEqualTo("s" + i + "@src.test");
                assertThat(received.recipients()).containsExactly("x" + i + "@a.test", "z" + i + "@a.test");
                assertThat(original(received)).isEqualTo(sent.get(i));
            }
            for (Sink.Received received : b.received()) {
                String i = token(received.content());
                assertThat(received.recipients()).containsExactly("y" + i + "@b.test");
                assertThat(original(received)).isEqualTo(sent.get(i));
            }
        }
    }

    @Test
    void bccRecipientGetsTheMessageAndNobodyLearnsOfIt() throws Exception {
        try (Sink a = Sink.start(""); Sink b = Sink.start(""); TestGateway gateway = gateway(a, b, Map.of())) {
            Session session = AngusMail.session(gateway.port(), "angus.client.test");
            MimeMessage message = new MimeMessage(session);
            message.setFrom("boss@src.test");
            message.setRecipients(RecipientType.TO, "x@a.test");
            message.setRecipients(RecipientType.CC, "y@a.test");
            message.setRecipients(RecipientType.BCC, "hidden@b.test");
            message.setSubject("quarterly");
            message.setText("numbers\r\n");
            Transport.send(message);
            await().atMost(Duration.ofSeconds(60)).until(() -> a.received().size() == 1 && b.received().size() == 1);
            assertThat(a.received().get(0).recipients()).containsExactly("x@a.test", "y@a.test");
            assertThat(b.received().get(0).recipients()).containsExactly("hidden@b.test");
            for (Sink.Received received : List.of(a.received().get(0), b.received().get(0))) {
                assertThat(new String(received.content(), StandardCharsets.UTF_8)).doesNotContain("hidden");
            }
        }
    }

    @Test
    void dkimSignatureStillVerifiesAfterTheRelay() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        String message = "From: Signer <signer@src.test>\r\nTo: x@a.test\r\nSubject: signed\r\n"
                + "Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nMessage-ID: <dkim@src.test>\r\n\r\n"
                + "A body that must not change.\r\n.A line with a leading dot.\r\n\r\nTrailing blank lines too.\r\n\r\n";
        DKIMSigner signer = new DKIMSigner("v=1; a=rsa-sha256; c=simple/simple; d=src.test; s=sel; "
                + "h=from:to:subject:date:message-id; bh=; b=;", key.getPrivate());
        String signature = signer.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        String signed = signature + "\r\n" + message;
        // the key record sel._domainkey.src.test publishes; the gateway itself looks nothing up
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
        PublicKeyRecordRetriever dns = (method, selector, domain) -> {
            assertThat(selector.toString() + "._domainkey." + domain).isEqualTo("sel._domainkey.src.test");
            return List.of(record);
        };

        try (Sink a = Sink.start(""); Sink b = Sink.start(""); TestGateway gateway = gateway(a, b, Map.of());
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.sendMessage("signer@src.test", signed.replace("\r\n.", "\r\n.."), "x@a.test");
            await().atMost(Duration.ofSeconds(60)).until(() -> a.received().size() == 1);
            byte[] delivered = a.received().get(0).content(); // with the gateway's Received header on top
            assertThat(verifies(dns, delivered)).as("signature after the relay").isTrue();
            byte[] tampered = new String(delivered, StandardCharsets.UTF_8).replace("must not", "may")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(verifies(dns, tampered)).as("the check can fail").isFalse();
        }
    }

    private static boolean verifies(PublicKeyRecordRetriever dns, byte[] message) throws Exception {
        DKIMVerifier verifier = new DKIMVerifier(dns);
        try {
            List<SignatureRecord> valid = verifier.verify(new ByteArrayInputStream(message));
            return valid != null && !valid.isEmpty() && verifier.hasAnyValidSignature();
        } catch (FailException e) {
            return false;
        }
    }

    @Test
    void aRetryOnlyGoesToTheRecipientsStillPending() throws Exception {
        try (Sink a = Sink.start(""); Sink b = Sink.start(""); TestGateway gateway = gateway(a, b, Map.of());
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.sendMessage("s@src.test", "X-Test-Token: 1\r\n\r\nx\r\n", "ok@a.test", "temp@a.test", "other@b.test");
            await().atMost(Duration.ofSeconds(60)).until(() -> a.received().size() == 1 && b.received().size() == 1);
            assertThat(a.received().get(0).recipients()).containsExactly("ok@a.test");
            await().atMost(Duration.ofSeconds(30)).until(() -> a.attempts("temp@a.test") >= 3); // retried, and again
            a.acceptTemp();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.received().size() == 2);
            assertThat(a.received().get(1).recipients()).containsExactly("temp@a.test");
            assertThat(a.byRecipient().get("ok@a.test")).hasSize(1);
            assertThat(a.attempts("ok@a.test")).as("never offered again once delivered").isEqualTo(1);
            assertThat(b.byRecipient().get("other@b.test")).hasSize(1);
        }
    }

    @Test
    void policyChecksGetARecipientProbeWithTheRelaysOwnSettings() throws Exception {
        try (Sink a = Sink.start(""); Sink b = Sink.start("");
                TestGateway gateway = gateway(a, b, Map.of("gateway.relay-recipients.verify-timeout", "45s"))) {
            SmtpRelayComponent relay = gateway.main().getCamelContext().getComponent("smtp-relay",
                    SmtpRelayComponent.class);
            assertThat(relay.getConfiguration().getVerifyTimeout()).isEqualTo(Duration.ofSeconds(45));
            RecipientProbe probe = relay.recipientProbe();
            assertThat(probe.probe(MailAddress.parse("perm@b.test", false)).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS).code()).as("asked the transport map's next hop").isEqualTo(550);
            assertThat(probe.probe(MailAddress.parse("ok@a.test", false)).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS).code()).isEqualTo(250);
            assertThat(a.attempts("ok@a.test")).isEqualTo(1);
            assertThat(a.received()).isEmpty();
        }
    }
}
