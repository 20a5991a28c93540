package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestBroker;
import dev.mailgateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The spool on an external broker: the broker going away, and several gateways sharing it. */
class SpoolResilienceTest {

    @TempDir
    Path dir;

    private static Map<String, String> config(TestBroker broker, Sink sink, String hostname) {
        Map<String, String> config = new HashMap<>(Map.of("gateway.broker.url", broker.url(),
                "gateway.broker.send-timeout", "3s", "gateway.smtp.route-timeout", "8s",
                "gateway.transport-map", "dest.test=" + sink.address(), "gateway.relay.retry-schedule", "1s",
                "gateway.relay.consumers", "2", "gateway.hostname", hostname,
                "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false"));
        config.putAll(broker.credentials());
        return config;
    }

    private static void send(int port, int token) throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            client.sendMessage("s@src.test", "X-Test-Token: " + token + "\r\n\r\nmessage " + token + "\r\n",
                    "r" + token + "@dest.test");
        }
    }

    @Test
    void brokerAwayMeans451WithinTheBoundAndAcceptedMailIsDeliveredWhenItIsBack() throws Exception {
        try (TestBroker broker = TestBroker.start(dir.resolve("broker")); Sink sink = Sink.start("");
                TestGateway gateway = TestGateway.start(dir.resolve("gw"), config(broker, sink, "gw.test"))) {
            for (int i = 0; i < 10; i++) {
                send(gateway.port(), i);
            }
            broker.stop();

            long start = System.nanoTime();
            try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                client.startData("s@src.test", "r99@dest.test");
                client.sendRaw("X-Test-Token: 99\r\n\r\nwhile the broker is away\r\n.\r\n");
                client.readTimeout(Duration.ofMinutes(2));
                client.expect("451 4.3.0");
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(waited).as("the send timeout (3 s), or the route timeout (8 s) at worst, bounds the wait")
                    .isLessThan(Duration.ofSeconds(15));

            broker.start();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(new HashSet<>(sink.tokens()))
                    .containsAll(IntStream.range(0, 10).mapToObj(String::valueOf).toList()));
            // message 99 heard 451: its client keeps it. If the route's send went through after all, once the broker
            // was back (the route timeout answered for it), it arrives too, and the client's retry will duplicate it.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> send(gateway.port(), 10));
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.tokens().contains("10"));
        }
    }

    /**
     * The relay's consumers are spread over several pooled connections (spool/SessionSpreadingConnectionFactory).
     * One of them is cut from the broker's side, mid-flow, the others stay up: with failover the cut connection
     * resumes; without it (a plain tcp:// URL) its consumers fail, the listener container makes new ones, and the
     * pool leaves the dead connection. Either way every message that heard 250 is delivered, and the relay gets
     * all its consumers back. A client that hears 451 tries again, as a real one would.
     */
    @ParameterizedTest(name = "failover={0}")
    @ValueSource(booleans = {true, false})
    void oneCutSpoolConnectionLosesNoMailAndDeliveryGoesOn(boolean failover) throws Exception {
        try (TestBroker broker = TestBroker.start(dir.resolve("broker")); Sink sink = Sink.start("")) {
            Map<String, String> config = config(broker, sink, "gw.test");
            config.put("gateway.broker.url", failover ? broker.url() : broker.tcpUrl());
            config.put("gateway.relay.consumers", "6");
            config.put("gateway.broker.connections", "3");
            try (TestGateway gateway = TestGateway.start(dir.resolve("gw"), config)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> broker.consumers("mail.relay") == 6);
                Set<String> accepted = new HashSet<>();
                for (int i = 0; i < 10; i++) {
                    send(gateway.port(), i);
                    accepted.add(String.valueOf(i));
                }
                // cut while the next messages are being sent and delivered
                CompletableFuture<org.apache.activemq.broker.Connection> cut = CompletableFuture.supplyAsync(() -> {
                    try {
                        return broker.cutOneConsumerConnection("mail.relay");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                for (int i = 10; i < 40; i++) {
                    int token = i;
                    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> send(gateway.port(),
                            token));
                    accepted.add(String.valueOf(token));
                }
                org.apache.activemq.broker.Connection cutConnection = cut.get(60, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(60)).until(() -> !cutConnection.isActive());

                await().atMost(Duration.ofMinutes(2)).untilAsserted(
                        () -> assertThat(new HashSet<>(sink.tokens())).containsAll(accepted));
                await().atMost(Duration.ofSeconds(60)).until(() -> broker.consumers("mail.relay") == 6);
                send(gateway.port(), 40);
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.tokens().contains("40"));
            }
        }
    }

    @Test
    void twoGatewaysShareTheBrokerAndOneCarriesOnWhenTheOtherStops() throws Exception {
        int messages = 120;
        try (TestBroker broker = TestBroker.start(dir.resolve("broker")); Sink sink = Sink.start("")) {
            TestGateway first = TestGateway.start(dir.resolve("first"), config(broker, sink, "first.gw.test"));
            try (TestGateway second = TestGateway.start(dir.resolve("second"), config(broker, sink, "second.gw.test"))) {
                for (int i = 0; i < messages; i++) {
                    send(i % 2 == 0 ? first.port() : second.port(), i);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 10);
                first.close(); // mid-flow: what it had not delivered, it leaves on the broker
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(new HashSet<>(sink.tokens()))
                        .containsAll(IntStream.range(0, messages).mapToObj(String::valueOf).toList()));
                Set<String> relayedBy = sink.received().stream().map(Sink.Received::helo).collect(Collectors.toSet());
                assertThat(relayedBy).containsExactlyInAnyOrder("first.gw.test", "second.gw.test");
                List<String> tokens = sink.tokens();
                System.out.printf("scale-out: %d messages, %d deliveries, %d duplicates%n", messages, tokens.size(),
                        tokens.size() - new HashSet<>(tokens).size());
            } finally {
                first.close();
            }
        }
    }
}
