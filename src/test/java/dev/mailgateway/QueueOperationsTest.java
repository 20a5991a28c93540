package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.spool.QueueCommand;
import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.ScriptedServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mailq and postsuper for the gateway: {@code queue list|retry|delete|hold|release} on deferred mail. */
class QueueOperationsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void pointTheCommandAtTheTestGateway() {
        System.setProperty("gateway.data-dir", dir.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("gateway.data-dir");
    }

    private record Run(int status, String output) {
    }

    private static Run queue(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = QueueCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private static String send(int port, String token) throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            return Archive.queueId(client.sendMessage("s@src.test", "X-Test-Token: " + token + "\r\n\r\nx\r\n",
                    "r" + token + "@dest.test"));
        }
    }

    @Test
    void deferredMailCanBeListedRetriedHeldReleasedAndDeleted() throws Exception {
        int nextHop;
        try (ServerSocket socket = new ServerSocket(0)) {
            nextHop = socket.getLocalPort();
        }
        try (LogLines log = new LogLines("dev.mailgateway.relay");
                TestGateway gateway = TestGateway.start(dir, Map.of("gateway.transport-map", "dest.test=127.0.0.1:"
                        + nextHop, "gateway.relay.retry-schedule", "1h", "gateway.relay.mx", "false",
                        "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false"))) {
            String first = send(gateway.port(), "1");
            String second = send(gateway.port(), "2");
            String third = send(gateway.port(), "3");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> log.lines().stream().filter(l -> l.contains("deferred, attempt 2 in 1h")).count() == 3);

            Run list = queue("list");
            assertThat(list.status()).isZero();
            assertThat(list.output()).contains(first, second, third).contains("deferred").contains("attempt 1")
                    .contains("connect to 127.0.0.1:" + nextHop + " failed").contains("r2@dest.test")
                    .contains("-- 3 messages");

            try (Sink sink = Sink.start("port=" + nextHop)) {
                assertThat(queue("retry", first).output()).contains("retry done (1)");
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.tokens().contains("1"));

                assertThat(queue("hold", second).status()).isZero();
                assertThat(queue("list").output()).contains(second).contains("hold").doesNotContain(first);
                assertThat(queue("release", second).output()).contains("release done (1)");
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.tokens().contains("2"));

                assertThat(queue("delete", third).output()).contains("delete done (1)");
                assertThat(queue("list").output()).contains("Mail queue is empty");
                assertThat(queue("retry", third).status()).isEqualTo(1);
                assertThat(sink.tokens()).containsExactlyInAnyOrder("1", "2");
            }
        }
    }

    /** A next hop's reply that would clear the operator's screen (ESC, and U+009B, CSI for some terminals). */
    @Test
    void whatANextHopWroteIsEscapedInTheRelayLogAndInQueueList() throws Exception {
        String screenClearing = "\u001b[2J\u001b[H\u009b2Jmailbox busy\rFAKE";
        try (ScriptedServer nextHop = ScriptedServer.start((command, connection) -> command.startsWith("RCPT")
                ? "450 4.2.0 " + screenClearing : command.startsWith("EHLO") ? "250 scripted.test"
                : command.equals("QUIT") ? "221 2.0.0 bye" : "250 2.0.0 ok");
                LogLines log = new LogLines("dev.mailgateway.relay");
                TestGateway gateway = TestGateway.start(dir, Map.of("gateway.transport-map", "dest.test="
                        + nextHop.address(), "gateway.relay.retry-schedule", "1h", "gateway.relay.mx", "false",
                        "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false"))) {
            String id = send(gateway.port(), "1");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> log.lines().stream().anyMatch(l -> l.contains("deferred, attempt 2 in 1h")));
            String escaped = "450 4.2.0 \\x1b[2J\\x1b[H\\u009b2Jmailbox busy\\rFAKE";
            assertThat(log.lines()).filteredOn(l -> l.contains("status=deferred")).singleElement().asString()
                    .contains(id).contains("(" + escaped + ")").doesNotContain("\u001b", "\u009b", "\r");

            Run list = queue("list");
            assertThat(list.status()).isZero();
            assertThat(list.output()).contains(id).contains(escaped + ")").doesNotContain("\u001b", "\u009b", "\r");
        }
    }

    @Test
    void withoutARunningGatewayTheCommandSaysSo() throws Exception {
        Run run = queue("list");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).contains("no running gateway");
        assertThat(queue("frob").status()).isEqualTo(2);
    }
}
