package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.ChildGateway;
import dev.mailgateway.testing.SmtpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 250 is a promise: the gateway (the packaged jar, embedded broker) takes mail from 10 connections at once and
 * relays it to a next hop; it is killed with SIGKILL in the middle of that and started again on the same data
 * directory. Every message that got a 250 must arrive. Duplicates are possible (a message delivered but not yet
 * committed when the process died) and are reported.
 */
class CrashIT {

    private static final int CLIENTS = 10;

    @TempDir
    Path dataDir;

    private Process start(int port, Sink sink, Path log) throws IOException {
        ProcessBuilder builder = ChildGateway.builder(port, dataDir, log, "-Xmx512m");
        builder.environment().put("GATEWAY_TRANSPORT_MAP", "dest.test=" + sink.address());
        builder.environment().put("GATEWAY_RELAY_RETRY_SCHEDULE", "1s");
        return builder.start();
    }

    private static void awaitListening(int port) {
        ChildGateway.awaitGreeting(port, "220 ");
    }

    @Test
    void everyMessageThatGot250IsDeliveredAfterSigkill() throws Exception {
        int port = ChildGateway.freePort();
        Path log = dataDir.resolve("gateway.log");
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        try (Sink sink = Sink.start("")) {
            Process gateway = start(port, sink, log);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                awaitListening(port);
                for (int c = 0; c < CLIENTS; c++) {
                    clients.submit(() -> {
                        while (sending.get()) {
                            try (SmtpClient client = SmtpClient.ehlo(port)) {
                                while (sending.get()) {
                                    String token = String.valueOf(next.getAndIncrement());
                                    client.startData("s@src.test", "r" + token + "@dest.test");
                                    client.sendRaw("X-Test-Token: " + token + "\r\n\r\nbody " + token + "\r\n.\r\n");
                                    if (client.reply().startsWith("250 ")) {
                                        accepted.add(token);
                                    }
                                }
                            } catch (IOException | AssertionError e) {
                                return null; // the gateway died under us: no 250, no promise
                            }
                        }
                        return null;
                    });
                }
                await().atMost(Duration.ofMinutes(2)).until(() -> accepted.size() >= 300 && sink.received().size() >= 50);
                gateway.destroyForcibly(); // SIGKILL: no shutdown hook, no flushing, no goodbye
                assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
                sending.set(false);
                clients.shutdown();
                assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                int before = sink.tokens().size();

                gateway = start(port, sink, log);
                awaitListening(port);
                await().atMost(Duration.ofMinutes(3)).untilAsserted(
                        () -> assertThat(new HashSet<>(sink.tokens())).containsAll(accepted));
                List<String> delivered = sink.tokens();
                Set<String> lost = new HashSet<>(accepted);
                lost.removeAll(delivered);
                int duplicates = delivered.size() - new HashSet<>(delivered).size();
                System.out.printf("crash test: %d accepted with 250, %d delivered before the kill, %d lost, "
                        + "%d duplicates after the restart%n", accepted.size(), before, lost.size(), duplicates);
                assertThat(lost).isEmpty();
            } catch (Exception | AssertionError e) {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                System.err.println("gateway log, last lines:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                throw e;
            } finally {
                sending.set(false);
                clients.shutdownNow();
                gateway.destroy();
                if (!gateway.waitFor(60, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
        }
    }
}
