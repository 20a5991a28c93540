package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No backscatter on demand: an untrusted client with a forged sender cannot make the gateway send mail to that
 * sender. What may be refused is refused in the session (unknown users, forged loops); what must be taken
 * (postmaster) is kept, never bounced; and a bounce that must go carries no more than the header section, cut at
 * the bounce size limit.
 */
class BackscatterTest {

    @TempDir
    Path dir;

    /** Loopback untrusted; dest.test a relay domain whose users are the map's; forged senders live at victim.test. */
    private Map<String, String> config(Sink victim, Sink dest, String... more) throws Exception {
        Path recipients = dir.resolve("relay-recipients");
        Files.writeString(recipients, "alice@dest.test\nperm@dest.test\n");
        Map<String, String> config = new HashMap<>(Map.of("gateway.trusted-networks", "192.0.2.0/24",
                "gateway.relay-domains", "dest.test", "gateway.relay-recipients", recipients.toString(),
                "gateway.transport-map", "victim.test=" + victim.address() + ",dest.test=" + dest.address(),
                "gateway.relay.mx", "false", "gateway.submission.enabled", "false",
                "gateway.submissions.enabled", "false"));
        for (int i = 0; i < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        return config;
    }

    private static String forgedReceived(int count) {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < count; i++) {
            headers.append("Received: from hop").append(i).append(".victim.test by relay.victim.test; Sun, 29 Nov 2026 10:00:00 +0000\r\n");
        }
        return headers.toString();
    }

    @Test
    void unknownUsersOfARelayDomainAreRefusedEvenWithTheShippedEmptyMap() throws Exception {
        try (Sink victim = Sink.start(""); Sink dest = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config(victim, dest, "gateway.relay-recipients",
                        "config/relay-recipients"));
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.command("MAIL FROM:<forged@victim.test>", "250 ");
            client.command("RCPT TO:<perm-nobody@dest.test>", "550 5.1.1");
        }
    }

    @Test
    void forgedReceivedHeadersAreRefusedInTheSessionNeverBounced() throws Exception {
        try (Sink victim = Sink.start(""); Sink dest = Sink.start("maxHops=100");
                TestGateway gateway = TestGateway.start(dir, config(victim, dest));
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            // 50 forged and ours make 51, over the limit of 50: refused at the end of the data
            client.startData("t1@victim.test", "alice@dest.test");
            client.sendRaw(forgedReceived(50) + "From: forged@victim.test\r\nSubject: loop\r\n\r\nx\r\n.\r\n");
            client.expect("554 5.4.6 Error: too many hops");
            // 49 and ours make 50: taken
            client.startData("t2@victim.test", "alice@dest.test");
            client.sendRaw(forgedReceived(49) + "From: forged@victim.test\r\nSubject: long way\r\n\r\nx\r\n.\r\n");
            client.expect("250 ");
            await().atMost(Duration.ofSeconds(60)).until(() -> dest.received().size() == 1);
            assertThat(victim.received()).isEmpty();
        }
    }

    @Test
    void tooManyHopsAreCountedInALargeMessageKeptOnDiskToo() throws Exception {
        try (Sink victim = Sink.start(""); Sink dest = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config(victim, dest, "gateway.smtp.spill-threshold", "4096"));
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.startData("t1@victim.test", "alice@dest.test");
            client.sendRaw(forgedReceived(60) + "From: forged@victim.test\r\nSubject: big loop\r\n\r\n" + "z".repeat(998).concat("\r\n").repeat(100)
                    + ".\r\n");
            client.expect("554 5.4.6");
        }
    }

    @Test
    void postmasterWithoutDomainIsTakenFromAnyoneAndKeptHereNeverLookedUpOrBounced() throws Exception {
        try (Sink victim = Sink.start(""); Sink dest = Sink.start(""); DnsServer dns = DnsServer.start();
                LogLines log = new LogLines("dev.mailgateway.relay");
                TestGateway gateway = TestGateway.start(dir.resolve("data"), config(victim, dest,
                        "gateway.relay.mx", "true", "gateway.dns.server", dns.address()));
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.command("MAIL FROM:<forged@victim.test>", "250 ");
            client.command("RCPT TO:<PostMaster>", "250 ");
            client.command("RCPT TO:<postmaster@GW.test>", "250 ");
            client.command("DATA", "354 ");
            String queued = client.command("From: forged@victim.test\r\nSubject: for the postmaster\r\n\r\nhello\r\n.", "250 ");
            String queueId = queued.substring(queued.lastIndexOf(' ') + 1).strip();
            Path kept = dir.resolve("data/postmaster/" + queueId + ".eml");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(kept));
            assertThat(new String(Files.readAllBytes(kept), StandardCharsets.UTF_8)).contains("From: forged@victim.test\r\nSubject: for the postmaster");
            await().atMost(Duration.ofSeconds(60)).until(() -> log.contains(queueId + ": to=<postmaster@gw.test>"));
            assertThat(log.lines()).filteredOn(l -> l.contains(queueId)).anyMatch(l -> l.contains("status=sent"))
                    .noneMatch(l -> l.contains("notification"));
            // SPF and DMARC ask for the sender's records; the postmaster's own domain is never looked up
            assertThat(dns.queries()).as("never looked up by MX: that is us")
                    .containsOnly("victim.test/TXT", "_dmarc.victim.test/TXT");
            assertThat(victim.received()).isEmpty();
        }
    }

    @Test
    void postmasterMailGoesToTheConfiguredAddress() throws Exception {
        try (Sink victim = Sink.start(""); Sink dest = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config(victim, dest, "gateway.postmaster", "alice@dest.test"));
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.sendMessage("forged@victim.test", "From: forged@victim.test\r\nSubject: hello postmaster\r\n\r\nx\r\n", "postmaster");
            await().atMost(Duration.ofSeconds(60)).until(() -> dest.received().size() == 1);
            assertThat(dest.received().get(0).recipients()).containsExactly("alice@dest.test");
            assertThat(victim.received()).isEmpty();
        }
    }

    @Test
    void aBounceQuotesAtMostTheBounceSizeLimitOfHeaders() throws Exception {
        // no empty line: all 2 MB are "headers"; loopback is trusted here, so the message is taken and then fails
        String lines = "X-Filler: " + "f".repeat(88) + "\r\n";
        byte[] content = lines.repeat(2 * 1024 * 1024 / lines.length()).getBytes(StandardCharsets.US_ASCII);
        try (Sink victim = Sink.start(""); Sink dest = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config(victim, dest, "gateway.trusted-networks", "127.0.0.0/8"));
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.startData("someone@victim.test", "perm@dest.test");
            client.sendRaw(content);
            client.sendRaw(".\r\n");
            client.expect("250 ");
            await().atMost(Duration.ofSeconds(60)).until(() -> victim.received().size() == 1);
            byte[] bounce = victim.received().get(0).content();
            assertThat(bounce.length).as("the report, plus at most 50000 bytes of the original").isLessThan(55_000);
            assertThat(new String(bounce, StandardCharsets.US_ASCII)).contains("X-Filler: ");
        }
    }
}
