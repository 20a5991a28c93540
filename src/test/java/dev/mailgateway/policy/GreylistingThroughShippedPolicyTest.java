package dev.mailgateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.ManualClock;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greylisting through the shipped policy route, switched on by its key, with a clock the test moves (the delay is
 * the default five minutes). Greylisting keys clients by /24: each test uses a network of its own.
 */
class GreylistingThroughShippedPolicyTest {

    private static final String GREYLISTED = "451 4.7.1 Greylisted, try again later";

    @TempDir
    static Path dir;
    private static final ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    private static DnsServer dns;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = DnsServer.start();
        dns.a("21.0.0.127.wl.test", "127.0.10.2");
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.trusted-networks", "127.0.0.20/32",
                "gateway.dns.server", dns.address(),
                "gateway.policy.dnsbl", "wl.test=127.0.[0..255].[1..3]*-2",
                "gateway.policy.greylist", "true",
                "gateway.policy.greylist.auto-allow", "3",
                "camel.component.mail-policy.clock", "#policyClock"), Map.of("policyClock", clock));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static String rcpt(String client, String sender, String recipient) throws Exception {
        return UntrustedClients.rcpt(gateway, client, sender, recipient);
    }

    @Test
    void aNewTripletIsGreylistedUntilRetriedAfterTheDelay() throws Exception {
        assertThat(rcpt("127.1.0.5", "alice@sender.test", "bob@dest.test")).isEqualTo(GREYLISTED);
        clock.advance(Duration.ofMinutes(1));
        assertThat(rcpt("127.1.0.5", "alice@sender.test", "bob@dest.test")).as("retried too early")
                .isEqualTo(GREYLISTED);
        clock.advance(Duration.ofMinutes(5));
        try (SmtpClient smtp = new SmtpClient(InetAddress.getByName("127.1.0.7"), gateway.port())) {
            smtp.expect("220");
            smtp.command("EHLO client.test", "250");
            // another server of the same /24 retries, as a sender's outbound pool does
            assertThat(smtp.sendMessage("alice@sender.test", "From: alice@sender.test\r\nSubject: hi\r\n\r\nhello\r\n", "bob@dest.test"))
                    .startsWith("250");
        }
        assertThat(rcpt("127.1.0.5", "alice@sender.test", "bob@dest.test")).as("known from now on")
                .startsWith("250");
        assertThat(rcpt("127.1.0.5", "alice@sender.test", "carol@dest.test")).as("another triplet")
                .isEqualTo(GREYLISTED);
    }

    @Test
    void aTripletRetriedAfterTheWindowStartsOver() throws Exception {
        assertThat(rcpt("127.5.0.1", "alice@sender.test", "bob@dest.test")).isEqualTo(GREYLISTED);
        clock.advance(Duration.ofDays(3));
        assertThat(rcpt("127.5.0.1", "alice@sender.test", "bob@dest.test")).isEqualTo(GREYLISTED);
        clock.advance(Duration.ofMinutes(6));
        assertThat(rcpt("127.5.0.1", "alice@sender.test", "bob@dest.test")).startsWith("250");
    }

    @Test
    void aNetworkThatPassedOftenEnoughIsNoLongerGreylisted() throws Exception {
        for (String recipient : new String[] {"a@dest.test", "b@dest.test", "c@dest.test"}) {
            assertThat(rcpt("127.2.0.9", "alice@sender.test", recipient)).isEqualTo(GREYLISTED);
        }
        clock.advance(Duration.ofMinutes(6));
        for (String recipient : new String[] {"a@dest.test", "b@dest.test", "c@dest.test"}) {
            assertThat(rcpt("127.2.0.9", "alice@sender.test", recipient)).startsWith("250");
        }
        assertThat(rcpt("127.2.0.10", "new@other.test", "d@dest.test")).as("three passes: auto-allowed")
                .startsWith("250");
        assertThat(rcpt("127.3.0.10", "new@other.test", "d@dest.test")).as("another network is not")
                .isEqualTo(GREYLISTED);
    }

    @Test
    void theNullSenderIsGreylistedPerRecipient() throws Exception {
        assertThat(rcpt("127.4.0.1", "", "a@dest.test")).isEqualTo(GREYLISTED);
        clock.advance(Duration.ofMinutes(6));
        assertThat(rcpt("127.4.0.1", "", "a@dest.test")).startsWith("250");
        assertThat(rcpt("127.4.0.1", "", "b@dest.test")).isEqualTo(GREYLISTED);
    }

    @Test
    void trustedAllowlistedClientsAndExemptRecipientsAreNotGreylisted() throws Exception {
        assertThat(rcpt("127.0.0.20", "alice@sender.test", "trusted@dest.test")).as("trusted network")
                .startsWith("250");
        assertThat(rcpt("127.0.0.21", "alice@sender.test", "allowlisted@dest.test")).as("on an allowlist")
                .startsWith("250");
        assertThat(rcpt("127.6.0.1", "alice@sender.test", "postmaster@dest.test")).as("exempt recipient")
                .startsWith("250");
        assertThat(rcpt("127.6.0.1", "alice@sender.test", "someone@dest.test")).isEqualTo(GREYLISTED);
    }
}
