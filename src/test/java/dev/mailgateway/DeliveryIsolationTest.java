package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.ScriptedServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.Tarpit;
import dev.mailgateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow, tarpitting or dead destination, or a flood of bounces, holds only its share of delivery: mail to every
 * other destination keeps flowing (what Postfix's queue manager gives, by per-destination concurrency and by
 * keeping deferred mail apart from new mail).
 */
class DeliveryIsolationTest {

    @TempDir
    Path dir;

    private static Map<String, String> config(String... pairs) {
        Map<String, String> config = new HashMap<>(Map.of("gateway.relay.mx", "false",
                "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false"));
        for (int i = 0; i < pairs.length; i += 2) {
            config.put(pairs[i], pairs[i + 1]);
        }
        return config;
    }

    private static Duration timeToDeliver(int gatewayPort, Sink sink) throws Exception {
        long start = System.nanoTime();
        try (SmtpClient client = SmtpClient.ehlo(gatewayPort)) {
            client.sendMessage("alice@src.test", "Subject: unrelated\r\nX-Test-Token: fast\r\n\r\nhello\r\n",
                    "bob@fast.test");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.tokens().contains("fast"));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void bouncesQueuedForATarpitNeverDelayMailToAnotherDestination() throws Exception {
        // evil.test's MX waits 120 s before its greeting; 50 forged senders there get bounces
        try (Tarpit tarpit = Tarpit.start(Duration.ofSeconds(120)); DnsServer dns = DnsServer.start();
                Sink rejecting = Sink.start(""); Sink fast = Sink.start("")) {
            dns.mx("evil.test", 10, "mx.evil.test").a("mx.evil.test", "127.0.0.1");
            try (TestGateway gateway = TestGateway.start(dir, config("gateway.relay.mx", "true",
                    "gateway.dns.server", dns.address(), "gateway.relay.mx-port", String.valueOf(tarpit.port()),
                    "gateway.transport-map", "reject.test=" + rejecting.address() + ",fast.test=" + fast.address()));
                    LogLines log = new LogLines("dev.mailgateway.relay")) {
                try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                    for (int i = 0; i < 50; i++) {
                        client.sendMessage("t" + i + "@evil.test", "Subject: " + i + "\r\n\r\nx\r\n", "perm@reject.test");
                    }
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> log.lines().stream().filter(l -> l.contains("non-delivery notification")).count() == 50);
                await().atMost(Duration.ofSeconds(60)).until(() -> tarpit.connections() > 0);

                assertThat(timeToDeliver(gateway.port(), fast)).isLessThan(Duration.ofSeconds(10));
                assertThat(tarpit.connections()).as("the bounces hold only the retry lane's consumers")
                        .isLessThanOrEqualTo(5);
                tarpit.close(); // before the gateway stops: its deliveries end now, not at the greeting timeout
            }
        }
    }

    @Test
    void aTarpitHoldsOnlyItsShareOfConnectionsAndOtherMailFlows() throws Exception {
        try (Tarpit tarpit = Tarpit.start(Duration.ofSeconds(120)); Sink fast = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config("gateway.relay.destination-concurrency", "4",
                        "gateway.transport-map", "slow.test=" + tarpit.address() + ",fast.test=" + fast.address()))) {
            try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                for (int i = 0; i < 30; i++) {
                    client.sendMessage("alice@src.test", "Subject: " + i + "\r\n\r\nx\r\n", "r" + i + "@slow.test");
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> tarpit.connections() == 4);

            assertThat(timeToDeliver(gateway.port(), fast)).isLessThan(Duration.ofSeconds(10));
            assertThat(tarpit.connections()).as("never more than the destination's concurrency").isEqualTo(4);
            tarpit.close(); // before the gateway stops: its deliveries end now, not at the greeting timeout
        }
    }

    @Test
    void largeMessagesWaitingForASlowDestinationNeverStopSmallOnes() throws Exception {
        // the slow destination takes the data and never answers its end; the broker's memory is what a 512 MB heap
        // gives it (a sixteenth), and each message is 20 MB, as in the review
        byte[] large = ("Subject: large\r\n\r\n" + ("y".repeat(998) + "\r\n").repeat(20 * 1024))
                .getBytes(StandardCharsets.US_ASCII);
        try (ScriptedServer slow = ScriptedServer.start((command, n) -> command.equals(".") ? null
                : command.equals("DATA") ? "354 go ahead" : command.startsWith("EHLO") ? "250 slow.test" : "250 2.0.0 ok");
                Sink fast = Sink.start("");
                TestGateway gateway = TestGateway.start(dir, config("gateway.broker.memory-limit", "33554432",
                        "gateway.transport-map", "slow.test=" + slow.address() + ",fast.test=" + fast.address()))) {
            try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                for (int i = 0; i < 6; i++) {
                    client.startData("alice@src.test", "r" + i + "@slow.test");
                    client.sendRaw(large);
                    client.sendRaw(".\r\n");
                    client.expect("250 ");
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> slow.commands().contains("."));

            assertThat(timeToDeliver(gateway.port(), fast)).isLessThan(Duration.ofSeconds(10));
            slow.close(); // before the gateway stops: its deliveries end now, not at the data timeout
        }
    }
}
