package dev.mailgateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.EventCollector;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail events through the shipped routes, read as another system reads them: a JMS consumer of its own queue on the
 * virtual topic. An untrusted client (127.0.0.61) over STARTTLS, SPF and DMARC checked against a loopback DNS
 * server, a content rule that scores, and a next hop (a real SMTP server) that takes one recipient, defers one
 * (450) and refuses one (550).
 */
class MailEventsThroughShippedRoutesTest {

    private static final String CLIENT = "127.0.0.61";

    @TempDir
    static Path dir;
    private static DnsServer dns;
    private static Sink next;
    private static TestGateway gateway;
    private static EventCollector early;

    @BeforeAll
    static void start() throws Exception {
        dns = DnsServer.start();
        dns.txt("pass.test", "v=spf1 ip4:127.0.0.0/8 -all").txt("_dmarc.pass.test", "v=DMARC1; p=reject")
                .txt("quarantine.test", "v=spf1 -all").txt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine");
        Path rules = Files.writeString(dir.resolve("content-rules"), "GREETING 1.5 header:Subject /aus K/\n");
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.relay.enabled", "true",
                // the bounce to the sender goes to the same next hop: no DNS of this machine is asked
                "gateway.transport-map", "dest.test=" + next.address() + ",pass.test=" + next.address(),
                "gateway.relay.retry-schedule", "1h",
                "gateway.content.rules", rules.toString(),
                "gateway.dns.server", dns.address(),
                "gateway.dns.timeout", "1s"));
        early = EventCollector.start(dir.resolve("gateway"), "early");
    }

    @AfterAll
    static void stop() throws Exception {
        if (early != null) {
            early.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (next != null) {
            next.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    /** Over STARTTLS from the untrusted client; returns the queue id. */
    private static String send(String messageId, String... recipients) throws Exception {
        return sendFrom("pass.test", messageId, recipients);
    }

    private static String sendFrom(String domain, String messageId, String... recipients) throws Exception {
        try (SmtpClient client = new SmtpClient(InetAddress.getByName(CLIENT), gateway.port())) {
            client.expect("220");
            client.command("EHLO client.test", "250");
            client.command("STARTTLS", "220");
            client.handshake("TLSv1.3");
            client.command("EHLO client.test", "250");
            return Archive.queueId(client.sendMessage("alice@" + domain, "From: Alice <alice@" + domain + ">\r\n"
                    + "Message-ID: " + messageId + "\r\n"
                    + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n =?UTF-8?Q?_und_Bonn?=\r\n"
                    + "\r\nhello\r\n", recipients));
        }
    }

    @Test
    void acceptedDeliveredDeferredAndBouncedEventsCarryTheirFields() throws Exception {
        Instant before = Instant.now().minusMillis(1);
        String id = send("<m1@pass.test>", "ok@dest.test", "temp1@dest.test", "perm1@dest.test");

        await().atMost(Duration.ofSeconds(60)).until(() -> early.of(id).size() == 4);
        Instant after = Instant.now();
        JsonNode accepted = early.find(id, "accepted", null);
        assertThat(accepted.get("type").asText()).isEqualTo("accepted");
        assertThat(Instant.parse(accepted.get("time").asText())).isBetween(before, after);
        assertThat(accepted.get("queueId").asText()).isEqualTo(id);
        assertThat(accepted.get("envelope").get("sender").asText()).isEqualTo("alice@pass.test");
        assertThat(texts(accepted.get("envelope").get("recipients")))
                .containsExactly("ok@dest.test", "temp1@dest.test", "perm1@dest.test");
        assertThat(accepted.get("messageId").asText()).isEqualTo("<m1@pass.test>");
        assertThat(accepted.get("subject").asText()).isEqualTo("Grüße aus Köln und Bonn");
        Sink.Received delivered = next.received().stream().filter(r -> r.recipients().contains("ok@dest.test"))
                .findFirst().orElseThrow();
        assertThat(accepted.get("size").asLong()).as("the bytes spooled, which the next hop got")
                .isEqualTo(delivered.content().length);
        JsonNode client = accepted.get("client");
        assertThat(client.get("address").asText()).isEqualTo(CLIENT);
        assertThat(client.get("port").asInt()).isPositive();
        assertThat(client.get("name").isNull()).isTrue();
        assertThat(client.get("helo").asText()).isEqualTo("client.test");
        assertThat(client.get("trusted").asBoolean()).isFalse();
        assertThat(accepted.get("listener").asText()).isEqualTo("mx");
        assertThat(accepted.get("tls").get("protocol").asText()).isEqualTo("TLSv1.3");
        assertThat(accepted.get("tls").get("cipher").asText()).startsWith("TLS_");
        assertThat(accepted.get("authUser").isNull()).isTrue();
        JsonNode authentication = accepted.get("authentication");
        assertThat(authentication.get("spf").get("result").asText()).isEqualTo("pass");
        assertThat(authentication.get("spf").get("domain").asText()).isEqualTo("pass.test");
        assertThat(authentication.get("dkim").isArray()).isTrue();
        assertThat(authentication.get("dkim")).isEmpty();
        assertThat(authentication.get("dmarc").get("result").asText()).isEqualTo("pass");
        assertThat(authentication.get("dmarc").get("domain").asText()).isEqualTo("pass.test");
        assertThat(authentication.get("dmarc").get("policy").asText()).isEqualTo("reject");
        JsonNode spam = accepted.get("spam");
        assertThat(spam.get("verdict").asText()).isEqualTo("pass");
        assertThat(spam.get("score").asDouble()).isEqualTo(1.5);
        assertThat(texts(spam.get("reasons"))).contains("GREETING (1.5)");
        assertThat(accepted.get("decision").asText()).isEqualTo("deliver");

        JsonNode ok = early.find(id, "delivered", "ok@dest.test");
        assertDelivery(ok, id, "delivered", "250 2.0.0 Ok: queued as ", "2.0.0", before, after);
        JsonNode deferred = early.find(id, "deferred", "temp1@dest.test");
        assertDelivery(deferred, id, "deferred", "450 4.2.0 Mailbox busy", "4.2.0", before, after);
        JsonNode bounced = early.find(id, "bounced", "perm1@dest.test");
        assertDelivery(bounced, id, "bounced", "550 5.1.1 No such user", "5.1.1", before, after);
        assertThat(early.types()).contains("accepted", "delivered", "deferred", "bounced");
    }

    private void assertDelivery(JsonNode event, String id, String type, String reply, String dsn, Instant before,
            Instant after) {
        assertThat(event).as(type).isNotNull();
        assertThat(event.get("type").asText()).isEqualTo(type);
        assertThat(Instant.parse(event.get("time").asText())).isBetween(before, after);
        assertThat(event.get("queueId").asText()).isEqualTo(id);
        assertThat(event.get("sender").asText()).isEqualTo("alice@pass.test");
        assertThat(event.get("remoteHost").asText()).isEqualTo(next.address());
        assertThat(event.get("remoteReply").asText()).startsWith(reply);
        assertThat(event.get("dsnStatus").asText()).isEqualTo(dsn);
        assertThat(event.get("attempt").asInt()).isEqualTo(1);
        assertThat(event.get("delaySeconds").asLong()).isBetween(0L, Duration.between(before, after).toSeconds() + 1);
    }

    @Test
    void aConsumerQueueMadeLaterGetsTheEventsFromThenOnOnly() throws Exception {
        String first = send("<first@pass.test>", "ok-first@dest.test");
        await().atMost(Duration.ofSeconds(60)).until(() -> early.find(first, "delivered", "ok-first@dest.test") != null);
        try (EventCollector late = EventCollector.start(dir.resolve("gateway"), "late")) {
            String second = send("<second@pass.test>", "ok-second@dest.test");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> late.find(second, "delivered", "ok-second@dest.test") != null);
            assertThat(late.find(second, "accepted", null)).isNotNull();
            assertThat(late.of(first)).as("events from before the queue existed").isEmpty();
            assertThat(early.find(second, "accepted", null)).as("the other consumer still gets its own").isNotNull();
        }
    }

    @Test
    void quarantinedMailIsAcceptedWithThatDecisionAndNotDelivered() throws Exception {
        String id = sendFrom("quarantine.test", "<q@quarantine.test>", "ok-q@dest.test");
        await().atMost(Duration.ofSeconds(60)).until(() -> early.find(id, "accepted", null) != null);
        JsonNode accepted = early.find(id, "accepted", null);
        assertThat(accepted.get("decision").asText()).isEqualTo("quarantine");
        assertThat(accepted.get("authentication").get("spf").get("result").asText()).isEqualTo("fail");
        assertThat(accepted.get("authentication").get("dmarc").get("result").asText()).isEqualTo("fail");
        assertThat(accepted.get("authentication").get("dmarc").get("policy").asText()).isEqualTo("quarantine");
        // a message sent after it is delivered: had the quarantined one been, its event would have come first
        String after = send("<after-q@pass.test>", "ok-after-q@dest.test");
        await().atMost(Duration.ofSeconds(60)).until(() -> early.find(after, "delivered", "ok-after-q@dest.test") != null);
        assertThat(early.of(id)).hasSize(1);
        assertThat(next.byRecipient()).doesNotContainKey("ok-q@dest.test");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

}
