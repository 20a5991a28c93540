package dev.mailgateway.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.spool.QueueCommand;
import dev.mailgateway.testing.AngusMail;
import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our own content checks (rules, GTUBE, attachments) and the verdict through the shipped routes, no engine
 * configured: the exact SMTP reply for what is refused, and what the next hop receives for what is not — the
 * message as sent, with only the X-Spam lines (and the Subject of tagged mail) changed.
 */
class ContentFilteringThroughShippedRoutesTest {

    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final String CLIENT = "127.0.0.61";

    @TempDir
    static Path dir;
    private static Sink next;
    private static TestGateway gateway;
    private static Path users;

    @BeforeAll
    static void start() throws Exception {
        Path rules = Files.writeString(dir.resolve("content-rules"), """
                # test rules
                LOTTERY_SUBJECT   7     header:Subject   /you (have )?won/i
                QUARANTINE_ME     40    header:X-Test    "quarantine me"
                CASINO            2.5   body             "online   casino"
                """);
        users = dir.resolve("users");
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("n0t-guessable\n".getBytes()));
            dev.mailgateway.GatewayMain.main(new String[] {"add-user", "carol", users.toString()});
        } finally {
            System.setIn(stdin);
        }
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.submission.enabled", "true",
                "gateway.auth.users", users.toString(),
                "gateway.content.rules", rules.toString(),
                "gateway.spam.subject-tag", "[SPAM]",
                "gateway.spam.quarantine-score", "30",
                "gateway.spam.reject-score", "50",
                "gateway.dmarc.enforce", "false"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (next != null) {
            next.close();
        }
    }

    /** Sends a message (header lines, blank line, body) from an untrusted client; returns the final reply. */
    static String send(TestGateway gateway, String client, String message) throws Exception {
        try (SmtpClient smtp = new SmtpClient(InetAddress.getByName(client), gateway.port())) {
            smtp.expect("220");
            smtp.command("EHLO client.test", "250");
            smtp.command("MAIL FROM:<sender@src.test>", "250");
            smtp.command("RCPT TO:<user@dest.test>", "250");
            smtp.command("DATA", "354");
            smtp.sendRaw(message + "\r\n.\r\n");
            return smtp.reply();
        }
    }

    static String message(String token, String subject, String body) {
        return "From: Sender <sender@src.test>\r\nTo: user@dest.test\r\nSubject: " + subject + "\r\nX-Test-Token: "
                + token + "\r\nMessage-ID: <" + token + "@src.test>\r\n\r\n" + body + "\r\n";
    }

    /** What the next hop received for the message with this token. */
    static String atNextHop(Sink next, String token) {
        await().atMost(Duration.ofSeconds(60)).until(() -> next.tokens().contains(token));
        return next.received().stream().map(r -> new String(r.content(), StandardCharsets.UTF_8))
                .filter(content -> content.contains("X-Test-Token: " + token)).findFirst().orElseThrow();
    }

    /** The message's header section without the trace and result fields the gateway adds anyway. */
    static String spamLines(String received) {
        StringBuilder lines = new StringBuilder();
        for (String line : received.substring(0, received.indexOf("\r\n\r\n") + 2).split("\r\n(?![ \t])")) {
            if (line.startsWith("X-Spam-")) {
                lines.append(line).append("\r\n");
            }
        }
        return lines.toString();
    }

    private static String token() {
        return UUID.randomUUID().toString();
    }

    @Test
    void gtubeIsRefusedAtSmtpTime() throws Exception {
        assertThat(send(gateway, CLIENT, message(token(), "test", GTUBE)))
                .isEqualTo("550 5.7.1 Message rejected as spam (GTUBE)");
    }

    @Test
    void aPlainMessagePassesWithXSpamStatusNoAndIsOtherwiseUnchanged() throws Exception {
        String token = token();
        String sent = message(token, "Lunch on Friday", "Shall we meet at noon?");
        assertThat(send(gateway, CLIENT, sent)).startsWith("250");
        String received = atNextHop(next, token);
        assertThat(spamLines(received)).startsWith("X-Spam-Score: 0\r\nX-Spam-Status: No, score=0 required=6 tests=");
        assertThat(received).doesNotContain("X-Spam-Flag");
        // every byte the client sent (its DATA ended with an empty line), after the lines the gateway put on top
        assertThat(received).endsWith(sent + "\r\n");
    }

    @Test
    void aMessageOverTheTagScoreIsTaggedAndItsSubjectPrefixed() throws Exception {
        String token = token();
        assertThat(send(gateway, CLIENT, message(token, "You have WON a prize",
                "Visit our online \r\n casino now"))).startsWith("250");
        String received = atNextHop(next, token);
        assertThat(spamLines(received)).isEqualTo("X-Spam-Flag: YES\r\nX-Spam-Score: 9.5\r\n"
                + "X-Spam-Status: Yes, score=9.5 required=6 tests=SPF_NONE,LOTTERY_SUBJECT,CASINO\r\n");
        assertThat(received).contains("\r\nSubject: [SPAM] You have WON a prize\r\n");
    }

    @Test
    void xSpamLinesASenderWroteAreReplacedByOurs() throws Exception {
        String token = token();
        assertThat(send(gateway, CLIENT, "X-Spam-Status: No, score=-100\r\nX-Spam-Flag: NO\r\n"
                + message(token, "hello", "hello"))).startsWith("250");
        String received = atNextHop(next, token);
        assertThat(received).doesNotContain("score=-100").doesNotContain("X-Spam-Flag");
        assertThat(spamLines(received)).startsWith("X-Spam-Score: 0\r\nX-Spam-Status: No,");
    }

    @Test
    void anExecutableAttachmentIsRefused() throws Exception {
        String boundary = "b1";
        String body = "--" + boundary + "\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--" + boundary
                + "\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment;"
                + " filename=\"invoice.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--"
                + boundary + "--";
        String message = "From: sender@src.test\r\nSubject: invoice\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n" + body + "\r\n";
        assertThat(send(gateway, CLIENT, message))
                .isEqualTo("554 5.7.1 Message rejected: attachment type not allowed (invoice.exe)");
    }

    @Test
    void quarantinedSpamWaitsUntilReleasedAndIsThenDelivered() throws Exception {
        String token = token();
        String reply = send(gateway, CLIENT, "X-Test: please quarantine me\r\n" + message(token, "q", "q"));
        assertThat(reply).startsWith("250");
        String queueId = Archive.queueId(reply);
        System.setProperty("gateway.data-dir", dir.resolve("gateway").toString());
        try {
            assertThat(queue("list")).contains(queueId).contains("quarantine");
            assertThat(next.tokens()).doesNotContain(token);
            assertThat(queue("release", queueId)).contains("release done (1)");
        } finally {
            System.clearProperty("gateway.data-dir");
        }
        assertThat(spamLines(atNextHop(next, token))).startsWith("X-Spam-Flag: YES\r\nX-Spam-Score: 40\r\n");
    }

    @Test
    void anAuthenticatedUsersSpamIsTaggedNotRefused() throws Exception {
        int port = gateway.port("submission");
        Session session = AngusMail.submission(port, "smtp", "PLAIN");
        MimeMessage message = new MimeMessage(session);
        String token = token();
        message.setFrom("carol@src.test");
        message.setRecipients(RecipientType.TO, "user@dest.test");
        message.setSubject("test");
        message.setHeader("X-Test-Token", token);
        message.setText(GTUBE + "\r\n");
        String reply;
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("carol", "n0t-guessable");
            transport.sendMessage(message, message.getAllRecipients());
            reply = ((SMTPTransport) transport).getLastServerResponse();
        }
        assertThat(reply).startsWith("250");
        assertThat(spamLines(atNextHop(next, token))).startsWith("X-Spam-Flag: YES\r\nX-Spam-Score: 1000\r\n"
                + "X-Spam-Status: Yes, score=1000 required=6 tests=GTUBE");
    }

    static String queue(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        QueueCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
