package dev.mailgateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Rate limits through the shipped policy route, with a clock the test moves. Client limits count per address,
 * so each test connects from a loopback address of its own.
 */
class RateLimitsThroughShippedPolicyTest {

    private static final String OVER = "450 4.7.1 Rate limit exceeded, try again later";
    private static final String MESSAGE = "From: someone@sender.test\r\nSubject: hi\r\n\r\nhello\r\n";

    @TempDir
    static Path dir;
    private static final ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.trusted-networks", "127.0.0.30/32",
                "gateway.policy.rate-limits", "client:connections=3/1m,client:messages=2/1h,"
                        + "client:recipients=4/1h,sender:messages=3/1h",
                "camel.component.mail-policy.clock", "#policyClock"), Map.of("policyClock", clock));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static SmtpClient from(String address) throws Exception {
        return UntrustedClients.from(gateway, address);
    }

    @Test
    void theMessageOverTheLimitIsRefusedAtMailAndTheWindowRecovers() throws Exception {
        try (SmtpClient client = from("127.0.7.1")) {
            client.sendMessage("a@sender1.test", MESSAGE, "user@dest.test");
            client.sendMessage("a@sender1.test", MESSAGE, "user@dest.test");
            assertThat(client.command("MAIL FROM:<a@sender1.test>", "450")).isEqualTo(OVER);
            assertThat(client.command("MAIL FROM:<a@sender1.test>", "450")).as("refused tries do not count")
                    .isEqualTo(OVER);
            clock.advance(Duration.ofHours(2)); // the sliding window's edge is tested with the store
            client.sendMessage("a@sender1.test", MESSAGE, "user@dest.test");
        }
    }

    @Test
    void theRecipientOverTheLimitIsRefusedAtRcpt() throws Exception {
        try (SmtpClient client = from("127.0.7.2")) {
            client.command("MAIL FROM:<a@sender2.test>", "250");
            for (int i = 1; i <= 4; i++) {
                client.command("RCPT TO:<user" + i + "@dest.test>", "250");
            }
            assertThat(client.command("RCPT TO:<user5@dest.test>", "450")).isEqualTo(OVER);
            client.command("DATA", "354");
            client.sendRaw(MESSAGE + ".\r\n");
            client.expect("250");
            clock.advance(Duration.ofHours(2));
            client.command("MAIL FROM:<a@sender2.test>", "250");
            client.command("RCPT TO:<user5@dest.test>", "250");
        }
    }

    @Test
    void theConnectionOverTheLimitIsTold421AndClosed() throws Exception {
        InetAddress address = InetAddress.getByName("127.0.7.3");
        for (int i = 0; i < 3; i++) {
            try (SmtpClient client = new SmtpClient(address, gateway.port())) {
                client.expect("220");
            }
        }
        try (SmtpClient client = new SmtpClient(address, gateway.port())) {
            assertThat(client.reply()).isEqualTo("421 4.7.0 Rate limit exceeded, try again later");
            assertThat(client.isClosedByServer()).isTrue();
        }
        clock.advance(Duration.ofMinutes(3));
        try (SmtpClient client = new SmtpClient(address, gateway.port())) {
            client.expect("220");
        }
    }

    @Test
    void aSenderIsLimitedAcrossClients() throws Exception {
        for (String address : new String[] {"127.0.7.4", "127.0.7.5", "127.0.7.6"}) {
            try (SmtpClient client = from(address)) {
                client.sendMessage("bulk@sender4.test", MESSAGE, "user@dest.test");
            }
        }
        try (SmtpClient client = from("127.0.7.7")) {
            assertThat(client.command("MAIL FROM:<bulk@sender4.test>", "450")).isEqualTo(OVER);
            client.command("MAIL FROM:<other@sender4.test>", "250");
        }
    }

    @Test
    void trustedNetworksAreNotLimited() throws Exception {
        try (SmtpClient client = from("127.0.0.30")) {
            for (int i = 0; i < 5; i++) {
                client.sendMessage("a@sender5.test", MESSAGE, "user@dest.test");
            }
        }
    }
}
