package dev.mailgateway.smtpd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.SmtpClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A bug or an exhausted heap in a session is logged at ERROR with the client, and the client hears 421 4.3.0
 * before the close, wherever on the event loop it happened; a client that resets its connection is no error.
 */
class SessionFailureTest {

    private static final String INTERNAL_ERROR = "421 4.3.0 " + TestServer.HOSTNAME
            + " Error: internal error, closing connection";

    /** Sends one small message and returns what the client heard after the end of data. */
    private static String sendOne(int port) throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            client.startData("a@src.test", "b@dest.test");
            client.sendRaw("Subject: x\r\n\r\nx\r\n.\r\n");
            String reply = client.reply();
            assertThat(client.isClosedByServer()).as("closed after the reply").isTrue();
            return reply;
        }
    }

    /** The reply goes out before the line is logged (logging may fail when the heap is full): wait for it. */
    private static void awaitError(LogLines log, String text) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(log.lines(Level.ERROR))
                .anyMatch(line -> line.contains("[127.0.0.1]:") && line.contains(text)));
    }

    @Test
    void exceptionInSessionCodeIsLoggedAndAnsweredWith421() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestServer server = TestServer.start((message, done) -> {
                    throw new IllegalStateException("bug in delivery");
                })) {
            assertThat(sendOne(server.port())).isEqualTo(INTERNAL_ERROR);
            awaitError(log, "bug in delivery");
        }
    }

    @Test
    void outOfMemoryErrorIsLoggedAndAnsweredWith421() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestServer server = TestServer.start((message, done) -> {
                    throw new OutOfMemoryError("simulated: Java heap space");
                })) {
            assertThat(sendOne(server.port())).isEqualTo(INTERNAL_ERROR);
            awaitError(log, "OutOfMemoryError");
        }
    }

    @Test
    void exceptionInATaskThatRunsLaterOnTheEventLoopIsAnsweredWith421() throws Exception {
        // an answer that arrives from another thread and breaks the session code that handles it
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestServer server = TestServer.start((message, done) ->
                        CompletableFuture.runAsync(() -> done.accept(null)))) {
            assertThat(sendOne(server.port())).isEqualTo(INTERNAL_ERROR);
            awaitError(log, "NullPointerException");
        }
    }

    @Test
    void connectionResetByTheClientIsNotAnError() throws Exception {
        Logger connectionLog = (Logger) LoggerFactory.getLogger(SmtpConnection.class);
        Level level = connectionLog.getLevel();
        connectionLog.setLevel(Level.DEBUG); // to see that the reset did reach the connection
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestServer server = TestServer.start((message, done) -> done.accept(Replies.OK))) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                socket.getOutputStream().write("EHLO reset.test\r\n".getBytes(StandardCharsets.US_ASCII));
                await().atMost(Duration.ofSeconds(60)).until(() -> socket.getInputStream().available() > 0);
                socket.setSoLinger(true, 0); // close with RST: the server sees "connection reset"
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> server.server().sessions() == 0);
            assertThat(log.lines(Level.DEBUG)).anyMatch(line -> line.contains("reset"));
            assertThat(log.lines(Level.ERROR)).isEmpty();
            assertThat(log.lines(Level.WARN)).isEmpty();
        } finally {
            connectionLog.setLevel(level);
        }
    }
}
