package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.smtpd.SmtpdConsumer;
import dev.mailgateway.testing.AngusMail;
import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TraceHeader;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application: camel-main with config/application.properties and the shipped routes/*.yaml, as
 * {@code java -jar} runs it, with only the port, host name and data directory overridden.
 */
class GatewayApplicationTest {

    @TempDir
    Path dataDir;
    private Main main;
    private int port;

    private void start(Map<String, String> overrides) throws Exception {
        main = GatewayMain.create();
        main.addOverrideProperty("gateway.smtp.port", "0");
        main.addOverrideProperty("gateway.admin.port", "0");
        main.addOverrideProperty("gateway.submission.port", "0");
        main.addOverrideProperty("gateway.submissions.port", "0");
        main.addOverrideProperty("gateway.hostname", "gw.test");
        main.addOverrideProperty("gateway.data-dir", dataDir.toString());
        main.addOverrideProperty("gateway.archive.enabled", "true");
        overrides.forEach(main::addOverrideProperty);
        main.start();
        port = ((SmtpdConsumer) main.getCamelContext().getRoute("mx").getConsumer()).getLocalAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
    }

    private int port(String route) {
        return ((SmtpdConsumer) main.getCamelContext().getRoute(route).getConsumer()).getLocalAddress().getPort();
    }

    /** The archived file of the message a 250 names: written by the archive consumer, so waited for. */
    private Path archived(String reply) {
        return Archive.await(dataDir.resolve("archive"), Archive.queueId(reply));
    }

    @Test
    void mailWithSeveralRecipientsAnd8BitTextIsArchivedByteForByte() throws Exception {
        start(Map.of());
        Session session = AngusMail.session(port, "angus.client.test");
        MimeMessage message = new MimeMessage(session);
        message.setFrom("alice@src.test");
        message.setRecipients(RecipientType.TO, "bob@dest.test, carol@dest.test");
        message.setRecipients(RecipientType.BCC, "dave@other.test");
        message.setSubject("Archiv", "UTF-8");
        message.setText("\u00c4rger mit \u00dcmlauten? Nein: \u00e9t\u00e9, \u0436\u0443\u0440\u043d\u0430\u043b\r\n", "UTF-8");
        message.setHeader("Content-Transfer-Encoding", "8bit");

        String reply;
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
            reply = ((SMTPTransport) transport).getLastServerResponse();
        }
        assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");

        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        message.writeTo(sent, new String[] {"Bcc", "Content-Length"});
        byte[] archived = Files.readAllBytes(archived(reply));
        assertThat(TraceHeader.strip(archived)).isEqualTo(sent.toByteArray());
        assertThat(TraceHeader.first(archived)).startsWith("Received: from ").contains("by gw.test with ESMTP id ")
                .doesNotContain("for <");
    }

    @Test
    void everyByteValueOfAn8BitBodyIsArchivedExactly() throws Exception {
        start(Map.of());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("Subject: all the bytes\r\n\r\n".getBytes());
        for (int b = 1; b < 256; b++) {
            if (b != '\r' && b != '\n') {
                body.write(b);
            }
            if (b % 32 == 0) {
                body.writeBytes("\r\n".getBytes());
            }
        }
        body.writeBytes("\r\n..stuffed\r\n".getBytes());
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            client.command("MAIL FROM:<a@src.test> BODY=8BITMIME", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.command("DATA", "354 ");
            client.sendRaw(body.toByteArray());
            client.sendRaw(".\r\n");
            String reply = client.expect("250 2.0.0 Ok: queued as ");
            byte[] archived = Files.readAllBytes(archived(reply));
            byte[] expected = body.toString(java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replace("\r\n..stuffed", "\r\n.stuffed").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(TraceHeader.strip(archived)).isEqualTo(expected);
            assertThat(TraceHeader.first(archived)).contains("for <b@dest.test>");
        }
    }

    @Test
    void shippedRouteUsesTheConfiguredLimitsAndRelayControl() throws Exception {
        Path recipients = dataDir.resolve("relay-recipients");
        java.nio.file.Files.writeString(recipients, "@dest.test\n");
        start(Map.of("gateway.smtp.max-message-size", "5000", "gateway.smtp.max-recipients", "2",
                "gateway.relay-domains", "dest.test", "gateway.trusted-networks", "192.0.2.0/24",
                "gateway.relay-recipients", recipients.toString()));
        try (SmtpClient client = SmtpClient.connect(port)) {
            assertThat(client.command("EHLO client.test", "250 ")).contains("250-SIZE 5000");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<x@elsewhere.test>", "554 5.7.1 <x@elsewhere.test>: Relay access denied");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.command("RCPT TO:<c@dest.test>", "250 ");
            client.command("RCPT TO:<d@dest.test>", "452 4.5.3");
        }
    }

    @Test
    void usersAddedWithTheCommandSubmitOnBothSubmissionListeners() throws Exception {
        Path users = dataDir.resolve("users");
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("n0t-guessable\n".getBytes()));
            GatewayMain.main(new String[] {"add-user", "carol", users.toString()});
        } finally {
            System.setIn(stdin);
        }
        start(Map.of("gateway.auth.users", users.toString(), "gateway.trusted-networks", ""));
        for (String listener : new String[] {"submission", "submissions"}) {
            Session session = AngusMail.submission(port(listener), listener.equals("submission") ? "smtp" : "smtps",
                    "PLAIN");
            MimeMessage message = new MimeMessage(session);
            message.setFrom("carol@src.test");
            message.setRecipients(RecipientType.TO, "friend@far-away.test");
            message.setText("via " + listener + "\r\n");
            String reply;
            try (Transport transport = session.getTransport(listener.equals("submission") ? "smtp" : "smtps")) {
                transport.connect("carol", "n0t-guessable");
                transport.sendMessage(message, message.getAllRecipients());
                reply = ((SMTPTransport) transport).getLastServerResponse();
            }
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            byte[] archivedBytes = Files.readAllBytes(archived(reply));
            assertThat(TraceHeader.first(archivedBytes))
                    .isEqualTo("Authentication-Results: gw.test;\r\n\tauth=pass smtp.auth=carol\r\n");
            assertThat(TraceHeader.first(TraceHeader.strip(archivedBytes))).contains(" with ESMTPSA id ");
        }
        try (SmtpClient client = SmtpClient.ehlo(port("submission"))) {
            client.command("MAIL FROM:<carol@src.test>", "530 5.7.0 Must issue a STARTTLS command first");
        }
    }

    @Test
    void spoolThatCannotTakeTheMessageMeans451AndTheClientKeepsIt() throws Exception {
        start(Map.of("gateway.broker.url", "tcp://127.0.0.1:1", "gateway.broker.send-timeout", "2s"));
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            client.startData("a@src.test", "b@dest.test");
            client.sendRaw("Subject: x\r\n\r\ny\r\n.\r\n");
            client.expect("451 4.3.0 Error: message not queued, please try again later");
        }
    }
}
