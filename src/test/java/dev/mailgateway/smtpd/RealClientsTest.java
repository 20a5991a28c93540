package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.AngusMail;
import dev.mailgateway.testing.TestListener;
import dev.mailgateway.testing.TraceHeader;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Message;
import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two independent SMTP client implementations send through the listener; what arrives is what they sent. */
class RealClientsTest {

    private static TestListener listener;

    @BeforeAll
    static void start() throws Exception {
        listener = TestListener.start("relayDomains=dest.test&trustedNetworks=");
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    @Test
    void angusMailSendsWithCcAndBccAnd8BitText() throws Exception {
        Session session = AngusMail.session(listener.port(), "angus.client.test");
        MimeMessage message = new MimeMessage(session);
        message.setFrom("alice@src.test");
        message.setRecipients(RecipientType.TO, "bob@dest.test");
        message.setRecipients(RecipientType.CC, "carol@dest.test");
        message.setRecipients(RecipientType.BCC, "dave@dest.test");
        message.setSubject("Gr\u00fc\u00dfe", "UTF-8");
        message.setText("Gr\u00fc\u00dfe aus K\u00f6ln\r\n.a line with a leading dot\r\n", "UTF-8");
        message.setHeader("Content-Transfer-Encoding", "8bit"); // raw UTF-8 bytes on the wire

        int before = listener.received().size();
        String lastReply;
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, message.getAllRecipients());
            lastReply = ((SMTPTransport) transport).getLastServerResponse();
        }

        assertThat(lastReply).startsWith("250 2.0.0 Ok: queued as ");
        Message received = listener.received().get(before).getMessage();
        assertThat(received.getHeader(SmtpdConstants.RECIPIENTS))
                .isEqualTo(List.of("bob@dest.test", "carol@dest.test", "dave@dest.test"));
        assertThat(received.getHeader(SmtpdConstants.HELO)).isEqualTo("angus.client.test");

        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        message.writeTo(sent, new String[] {"Bcc", "Content-Length"}); // what SMTPTransport puts on the wire
        byte[] body = received.getBody(byte[].class);
        assertThat(TraceHeader.strip(body)).isEqualTo(sent.toByteArray());
        assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain("dave@dest.test")
                .contains("K\u00f6ln");
    }

    @Test
    void commonsNetSendsAShortMessage() throws Exception {
        String text = "From: x@src.test\r\nSubject: commons-net\r\n\r\n.dot line\r\nbody\r\n";
        int before = listener.received().size();
        SMTPClient client = new SMTPClient();
        client.setDefaultTimeout(15000);
        client.connect("127.0.0.1", listener.port());
        try {
            assertThat(SMTPReply.isPositiveCompletion(client.getReplyCode())).isTrue();
            assertThat(client.login("commons.client.test")).isTrue();
            assertThat(client.setSender("x@src.test")).isTrue();
            assertThat(client.addRecipient("y@dest.test")).isTrue();
            assertThat(client.addRecipient("z@elsewhere.test")).isFalse();
            assertThat(client.getReplyString()).startsWith("554 5.7.1");
            assertThat(client.addRecipient("z@dest.test")).isTrue();
            assertThat(client.sendShortMessageData(text)).isTrue();
            assertThat(client.getReplyString()).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(client.logout()).isTrue();
        } finally {
            client.disconnect();
        }
        Message received = listener.received().get(before).getMessage();
        assertThat(received.getHeader(SmtpdConstants.RECIPIENTS)).isEqualTo(List.of("y@dest.test", "z@dest.test"));
        assertThat(received.getHeader(SmtpdConstants.PROTOCOL)).isEqualTo("SMTP");
        byte[] body = received.getBody(byte[].class);
        assertThat(new String(TraceHeader.strip(body), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(TraceHeader.first(body)).startsWith("Received: from commons.client.test ([127.0.0.1])\r\n\tby mx.gateway.test with SMTP id ");
    }
}
