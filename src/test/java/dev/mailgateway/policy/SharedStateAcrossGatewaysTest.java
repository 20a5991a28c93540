package dev.mailgateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.ManualClock;
import dev.mailgateway.testing.RedisServer;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways (each with its own spool) on one real Redis, as a pair behind one MX record would be: a client
 * greylisted by one passes at the other, a client's messages count at both, and when Redis stops, mail still
 * flows (the checks fail open) and picks up Redis again when it is back.
 */
class SharedStateAcrossGatewaysTest {

    private static final String GREYLISTED = "451 4.7.1 Greylisted, try again later";

    @TempDir
    static Path dir;
    private static final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private static RedisServer redis;
    private static TestGateway first;
    private static TestGateway second;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.running();
        Map<String, String> config = UntrustedClients.config(dir,
                "gateway.policy.greylist", "true",
                "gateway.policy.rate-limits", "client:messages=2/1h",
                "gateway.state.redis", redis.uri(),
                "camel.component.mail-policy.clock", "#policyClock");
        first = TestGateway.start(dir.resolve("first"), config, Map.of("policyClock", clock));
        second = TestGateway.start(dir.resolve("second"), config, Map.of("policyClock", clock));
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestGateway gateway : new TestGateway[] {first, second}) {
            if (gateway != null) {
                gateway.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static SmtpClient connect(TestGateway gateway, String from) throws Exception {
        return UntrustedClients.from(gateway, from);
    }

    private static String rcpt(TestGateway gateway, String from, String recipient) throws Exception {
        return UntrustedClients.rcpt(gateway, from, "alice@sender.test", recipient);
    }

    @Test
    void aClientGreylistedByOneGatewayPassesAtTheOther() throws Exception {
        assertThat(rcpt(first, "127.8.0.1", "bob@dest.test")).isEqualTo(GREYLISTED);
        clock.advance(Duration.ofMinutes(6));
        assertThat(rcpt(second, "127.8.0.1", "bob@dest.test")).startsWith("250");
    }

    @Test
    void aClientsMessagesCountAtEveryGateway() throws Exception {
        try (SmtpClient atFirst = connect(first, "127.9.0.1"); SmtpClient atSecond = connect(second, "127.9.0.1")) {
            atFirst.command("MAIL FROM:<alice@sender.test>", "250");
            atFirst.command("RSET", "250");
            atSecond.command("MAIL FROM:<alice@sender.test>", "250");
            atSecond.command("RSET", "250");
            assertThat(atFirst.command("MAIL FROM:<alice@sender.test>", "450"))
                    .isEqualTo("450 4.7.1 Rate limit exceeded, try again later");
        }
    }

    @Test
    void withRedisStoppedMailStillFlowsAndWhenItIsBackTheChecksAreToo() throws Exception {
        redis.stop();
        try {
            try (SmtpClient client = connect(first, "127.10.0.1")) {
                assertThat(client.sendMessage("alice@sender.test", "From: alice@sender.test\r\nSubject: hi\r\n\r\nhello\r\n", "bob@dest.test"))
                        .as("greylisting and rate limits fail open").startsWith("250");
            }
        } finally {
            redis.start();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> rcpt(second, "127.11.0.1", "bob@dest.test").equals(GREYLISTED));
    }
}
