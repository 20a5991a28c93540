package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to mail after 250 on the real application: deferral and retry (across a restart), bounces to the
 * sender as RFC 3464 reports, expiry, no bounce for bounces, a delay warning, and a loop cut short.
 */
class DeliveryLifecycleTest {

    @TempDir
    Path dir;

    private static Map<String, String> config(String transportMap, String... more) {
        Map<String, String> config = new HashMap<>(Map.of("gateway.transport-map", transportMap,
                "gateway.relay.retry-schedule", "1s", "gateway.relay.consumers", "2", "gateway.relay.mx", "false",
                "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false"));
        for (int i = 0; i < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        return config;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void send(int port, String from, String to, String body) throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            client.sendMessage(from, body, to);
        }
    }

    /** A received bounce, parsed: the multipart/report and its delivery-status part as text. */
    private record Bounce(MimeMessage message, String deliveryStatus, String headers) {
        static Bounce parse(byte[] content) throws Exception {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(content));
            assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
            MimeMultipart report = new MimeMultipart(message.getDataHandler().getDataSource());
            assertThat(report.getCount()).isEqualTo(3);
            assertThat(report.getBodyPart(0).getContentType()).startsWith("text/plain");
            assertThat(report.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
            assertThat(report.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
            return new Bounce(message, text(report.getBodyPart(1)), text(report.getBodyPart(2)));
        }

        private static String text(BodyPart part) throws Exception {
            try (InputStream in = part.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void deferredMailWaitsThroughARestartAndIsDeliveredWhenTheNextHopIsBack() throws Exception {
        int nextHop = freePort();
        Map<String, String> config = config("dest.test=127.0.0.1:" + nextHop, "gateway.relay.retry-schedule", "2s");
        TestGateway gateway = TestGateway.start(dir, config);
        try (LogLines log = new LogLines("dev.mailgateway.relay")) {
            send(gateway.port(), "s@src.test", "r@dest.test", "X-Test-Token: waiting\r\n\r\nx\r\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> log.contains("status=deferred"));
        } finally {
            gateway.close(); // stopped while the message waits in the broker's scheduler
        }
        try (Sink sink = Sink.start("port=" + nextHop); TestGateway again = TestGateway.start(dir, config)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.tokens().contains("waiting"));
            assertThat(sink.tokens()).containsExactly("waiting");
        }
    }

    @Test
    void permanentFailureBouncesToTheSenderAsADeliveryReport() throws Exception {
        try (Sink senders = Sink.start(""); Sink dest = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config("src.test=" + senders.address() + ",dest.test="
                        + dest.address()))) {
            send(gateway.port(), "alice@src.test", "perm@dest.test",
                    "Subject: to nobody\r\nMessage-ID: <orig@src.test>\r\n\r\nhello\r\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> senders.received().size() == 1);
            Sink.Received received = senders.received().get(0);
            assertThat(received.sender()).as("bounces come from the null sender").isEmpty();
            assertThat(received.recipients()).containsExactly("alice@src.test");
            Bounce bounce = Bounce.parse(received.content());
            assertThat(bounce.message().getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
            assertThat(bounce.deliveryStatus()).contains("Reporting-MTA: dns; gw.test")
                    .contains("Final-Recipient: rfc822; perm@dest.test").contains("Action: failed")
                    .contains("Status: 5.1.1").contains("Diagnostic-Code: smtp; 550 5.1.1 No such user")
                    .contains("Remote-MTA: dns; 127.0.0.1");
            assertThat(bounce.headers()).contains("Subject: to nobody").contains("Message-ID: <orig@src.test>");
        }
    }

    @Test
    void bounceOfEightBitMailIsDeclaredEightBit() throws Exception {
        try (Sink senders = Sink.start(""); Sink dest = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config("src.test=" + senders.address() + ",dest.test="
                        + dest.address()));
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.command("MAIL FROM:<alice@src.test> BODY=8BITMIME", "250 ");
            client.command("RCPT TO:<perm@dest.test>", "250 ");
            client.command("DATA", "354 ");
            client.sendRaw("Subject: =?utf-8?q?caf=C3=A9?=\r\nX-Note: caf\u00e9\r\n\r\ncaf\u00e9\r\n.\r\n".getBytes(StandardCharsets.UTF_8));
            client.expect("250 ");
            await().atMost(Duration.ofSeconds(60)).until(() -> senders.received().size() == 1);
            Sink.Received bounce = senders.received().get(0);
            assertThat(bounce.bodyType()).as("the report quotes 8-bit header text").isEqualTo("8BITMIME");
            assertThat(Bounce.parse(bounce.content()).headers()).contains("X-Note: caf\u00e9");
        }
    }

    @Test
    void mailThatCannotBeDeliveredInTimeExpiresWithAReport() throws Exception {
        try (Sink senders = Sink.start(""); Sink dest = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config("src.test=" + senders.address() + ",dest.test="
                        + dest.address(), "gateway.relay.max-age", "3s"))) {
            send(gateway.port(), "alice@src.test", "temp@dest.test", "Subject: patience\r\n\r\nhello\r\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> senders.received().size() == 1);
            Bounce bounce = Bounce.parse(senders.received().get(0).content());
            assertThat(bounce.deliveryStatus()).contains("Final-Recipient: rfc822; temp@dest.test")
                    .contains("Action: failed").contains("Status: 4.4.7").contains("delivery time expired")
                    .contains("450 4.2.0 Mailbox busy");
            assertThat(dest.attempts("temp@dest.test")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void undeliverableBounceIsNotBouncedAgain() throws Exception {
        try (Sink senders = Sink.start(""); Sink dest = Sink.start(""); LogLines log = new LogLines("dev.mailgateway.relay");
                TestGateway gateway = TestGateway.start(dir, config("src.test=" + senders.address() + ",dest.test="
                        + dest.address()))) {
            send(gateway.port(), "", "perm@dest.test", "Subject: a bounce that bounces\r\n\r\nx\r\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> log.contains("undeliverable mail from <> is not bounced"));
            assertThat(log.lines()).noneMatch(line -> line.contains("non-delivery notification"));
            assertThat(senders.received()).isEmpty();
        }
    }

    @Test
    void senderIsWarnedOnceWhenMailIsDelayed() throws Exception {
        try (Sink senders = Sink.start(""); Sink dest = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config("src.test=" + senders.address() + ",dest.test="
                        + dest.address(), "gateway.relay.delay-warning", "1s"))) {
            send(gateway.port(), "alice@src.test", "temp@dest.test", "Subject: slow\r\n\r\nhello\r\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> senders.received().size() == 1);
            Bounce warning = Bounce.parse(senders.received().get(0).content());
            assertThat(warning.message().getSubject()).isEqualTo("Delayed Mail (still being retried)");
            assertThat(warning.deliveryStatus()).contains("Action: delayed").contains("Status: 4.2.0");
            dest.acceptTemp();
            await().atMost(Duration.ofSeconds(60)).until(() -> dest.received().size() == 1);
            assertThat(senders.received()).as("one warning, no more").hasSize(1);
        }
    }

    @Test
    void aLoopBetweenTwoGatewaysIsCutWith546() throws Exception {
        int portA = freePort();
        int portB = freePort();
        try (Sink senders = Sink.start("")) {
            Map<String, String> a = config("loop.test=127.0.0.1:" + portB + ",src.test=" + senders.address(),
                    "gateway.smtp.port", String.valueOf(portA), "gateway.hostname", "a.gw.test",
                    "gateway.relay.max-hops", "20");
            Map<String, String> b = config("loop.test=127.0.0.1:" + portA + ",src.test=" + senders.address(),
                    "gateway.smtp.port", String.valueOf(portB), "gateway.hostname", "b.gw.test",
                    "gateway.relay.max-hops", "20");
            try (TestGateway gatewayA = TestGateway.start(dir.resolve("a"), a);
                    TestGateway gatewayB = TestGateway.start(dir.resolve("b"), b)) {
                send(gatewayA.port(), "alice@src.test", "x@loop.test", "Subject: round and round\r\n\r\nx\r\n");
                await().atMost(Duration.ofSeconds(90)).until(() -> senders.received().size() == 1);
                Bounce bounce = Bounce.parse(senders.received().get(0).content());
                // the gateway that would have been the 21st hop refused it in the session; the one before bounced
                assertThat(bounce.deliveryStatus()).contains("Final-Recipient: rfc822; x@loop.test")
                        .contains("Status: 5.4.6").contains("554 5.4.6 Error: too many hops");
                assertThat(bounce.headers().split("Received:", -1)).hasSize(21);
            }
        }
    }
}
