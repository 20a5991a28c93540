package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.GeneratedMessage;
import dev.mailgateway.testing.ChildGateway;
import dev.mailgateway.testing.SmtpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by configuration, not by message sizes: the packaged gateway with a 512 MB heap takes 50
 * messages of 20 MB at once (1 GB in flight) and archives each byte for byte.
 */
class LargeMessagesIT {

    private static final int CLIENTS = 50;
    private static final long SIZE = 20L * 1024 * 1024;

    @TempDir
    Path dataDir;

    private record Sent(String queueId, String sha256) {
    }

    @Test
    void fiftyConcurrentTwentyMegabyteMessagesWithA512MegabyteHeap() throws Exception {
        int port = ChildGateway.freePort();
        Path log = dataDir.resolve("gateway.log");
        ProcessBuilder builder = ChildGateway.builder(port, dataDir, log, "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
        builder.environment().put("GATEWAY_ARCHIVE_ENABLED", "true");
        builder.environment().put("GATEWAY_SMTP_MAX_MESSAGE_SIZE", String.valueOf(30L * 1024 * 1024));
        Process gateway = builder.start();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            ChildGateway.awaitGreeting(port, "220 ");
            List<Future<Sent>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                long seed = 100 + i;
                results.add(clients.submit(() -> send(port, seed)));
            }
            List<Sent> sent = new ArrayList<>();
            for (Future<Sent> result : results) {
                sent.add(result.get(10, TimeUnit.MINUTES));
            }
            assertThat(gateway.isAlive()).as("the gateway is still running (no OutOfMemoryError)").isTrue();
            for (Sent message : sent) {
                Path file = Archive.await(dataDir.resolve("archive"), message.queueId(), Duration.ofMinutes(5));
                assertThat(Archive.sha256WithoutTrace(file)).as(message.queueId()).isEqualTo(message.sha256());
            }
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        } catch (Exception | AssertionError e) {
            List<String> lines = Files.readAllLines(log);
            System.err.println("gateway log, last lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
            throw e;
        } finally {
            clients.shutdownNow();
            gateway.destroy();
            if (!gateway.waitFor(60, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    private static Sent send(int port, long seed) throws IOException {
        GeneratedMessage message = new GeneratedMessage(seed, SIZE);
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            client.startData("big" + seed + "@src.test", "b@dest.test");
            String sha256 = client.stream(out -> message.writeTo(out, true));
            client.sendRaw(".\r\n");
            client.readTimeout(Duration.ofMinutes(10)); // large messages wait their turn to be spooled
            String reply = client.expect("250 2.0.0 Ok: queued as ");
            return new Sent(Archive.queueId(reply), sha256);
        }
    }
}
