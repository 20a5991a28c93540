package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cannot hold connection slots: message data must average the minimum data rate, every session ends
 * at the session time cap (also one that waits for the route), and near the connection limit idle clients get the
 * short stress timeout. Settings are short so the tests run in seconds.
 */
class SlowSessionsTest {

    private static final String TIMEOUT = "421 4.4.2 mx.gateway.test Error: timeout exceeded";
    private static final String SESSION_TOO_LONG = "421 4.4.2 mx.gateway.test Error: session time limit exceeded";
    /** Message data must come at 500 bytes/s on average; a client may be 3 s ahead or behind. */
    private static final String RATE = "idleTimeout=3s&minDataRate=500";

    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopWriting() {
        writer.shutdownNow();
    }

    /** Sends {@code bytes} every 200 ms until the connection fails (the server closed it). */
    private void trickle(SmtpClient client, byte[] bytes) {
        writer.scheduleAtFixedRate(() -> {
            try {
                client.sendRaw(bytes);
            } catch (IOException e) {
                throw new IllegalStateException("closed", e); // ends the repetition
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    @Test
    void dataSlowerThanTheMinimumRateGets421AndALogLine() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start(RATE);
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.startData("a@src.test", "b@dest.test");
            trickle(client, "0123456789".getBytes(StandardCharsets.US_ASCII)); // 50 bytes/s: never idle, too slow
            client.expect(TIMEOUT);
            assertThat(client.isClosedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> log.lines().stream().anyMatch(line ->
                    line.startsWith("timeout after DATA (") && line.endsWith("message data slower than 500 bytes/s")));
        }
    }

    @Test
    void bdatChunkSlowerThanTheMinimumRateGets421() throws Exception {
        try (TestListener listener = TestListener.start(RATE);
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.send("BDAT 100000 LAST");
            trickle(client, "0123456789".getBytes(StandardCharsets.US_ASCII));
            client.expect(TIMEOUT);
        }
    }

    @Test
    void dataFasterThanTheMinimumRateGoesOnPastTheIdleTimeout() throws Exception {
        try (TestListener listener = TestListener.start(RATE);
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.startData("a@src.test", "b@dest.test");
            byte[] line = "x".repeat(1998).concat("\r\n").getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            // 10 kB/s for 4 s, longer than the 3 s any single read can earn
            while (Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0) {
                client.sendRaw(line);
                TimeUnit.MILLISECONDS.sleep(200); // the client's pace, not a wait for the server
            }
            client.sendRaw(".\r\n");
            client.expect("250 2.0.0 Ok: queued as ");
        }
    }

    @Test
    void sessionThatKeepsTalkingEndsAtTheSessionTimeCap() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start("maxSessionTime=2s");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> client.command("NOOP", "").equals(SESSION_TOO_LONG));
            assertThat(client.isClosedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> log.contains("session longer than 2s"));
        }
    }

    @Test
    void sessionWaitingForTheRouteEndsAtTheSessionTimeCap() throws Exception {
        CountDownLatch routeMayFinish = new CountDownLatch(1);
        try (TestListener listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("maxSessionTime=2s&idleTimeout=1s&routeTimeout=5m")).routeId("smtpd")
                        .process(e -> routeMayFinish.await(5, TimeUnit.MINUTES))
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        }); SmtpClient client = SmtpClient.ehlo(listener.port())) {
            try {
                client.startData("a@src.test", "b@dest.test");
                client.sendRaw("Subject: stuck\r\n\r\nx\r\n.\r\n");
                // the idle timeout does not apply while the session waits for us; the cap does
                client.expect(SESSION_TOO_LONG);
            } finally {
                routeMayFinish.countDown();
            }
        }
    }

    @Test
    void nearTheConnectionLimitIdleClientsMakeRoomForNewOnes() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start("maxConnections=4&idleTimeout=10m&stressIdleTimeout=1s")) {
            List<SmtpClient> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) { // every place taken: above three quarters, so the listener is stressed
                    idle.add(SmtpClient.ehlo(listener.port()));
                }
                // without the stress timeout they would hold every place for 10 minutes
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    try (SmtpClient newcomer = SmtpClient.connect(listener.port())) {
                        newcomer.command("NOOP", "250 ");
                    }
                });
                assertThat(log.contains("no input for 1s with the listener near its connection limit")).isTrue();
            } finally {
                for (SmtpClient client : idle) {
                    client.close();
                }
            }
        }
    }

    @Test
    void atThreeQuartersOfTheLimitIdleClientsKeepTheNormalTimeout() throws Exception {
        try (TestListener listener = TestListener.start("maxConnections=4&idleTimeout=2s&stressIdleTimeout=100ms");
                SmtpClient first = SmtpClient.ehlo(listener.port());
                SmtpClient second = SmtpClient.ehlo(listener.port())) {
            long start = System.nanoTime();
            try (SmtpClient third = SmtpClient.ehlo(listener.port())) {
                third.expect(TIMEOUT);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1900));
            }
        }
    }
}
