package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import dev.mailgateway.testing.TraceHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SMTPUTF8 (RFC 6531): UTF-8 addresses when the client declares it, and the flag travels with the message. */
class SmtpUtf8Test {

    private static TestListener listener;

    @BeforeAll
    static void start() throws Exception {
        listener = TestListener.start("relayDomains=b\u00fccher.test&trustedNetworks=");
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    @Test
    void utf8AddressesAreTakenWithSmtpUtf8() throws Exception {
        int before = listener.received().size();
        String body = "From: j\u00f6rg@absender.test\r\nSubject: gr\u00fc\u00dfe\r\n\r\nhallo\r\n";
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<j\u00f6rg@absender.test> SMTPUTF8", "250 ");
            client.command("RCPT TO:<\u00e9l\u00e8ve@b\u00fccher.test>", "250 ");
            client.command("DATA", "354 ");
            client.sendRaw(body + ".\r\n");
            client.expect("250 ");
        }
        Message message = listener.received().get(before).getMessage();
        assertThat(message.getHeader(SmtpdConstants.SMTPUTF8)).isEqualTo(true);
        assertThat(message.getHeader(SmtpdConstants.SENDER)).isEqualTo("j\u00f6rg@absender.test");
        assertThat(message.getHeader(SmtpdConstants.RECIPIENTS)).isEqualTo(List.of("\u00e9l\u00e8ve@b\u00fccher.test"));
        assertThat(message.getHeader(SmtpdConstants.PROTOCOL)).isEqualTo("UTF8SMTP");
        byte[] bytes = message.getBody(byte[].class);
        assertThat(new String(TraceHeader.strip(bytes), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(TraceHeader.first(bytes)).contains("with UTF8SMTP id ").contains("for <\u00e9l\u00e8ve@b\u00fccher.test>");
    }

    @Test
    void utf8AddressWithoutSmtpUtf8Gets553() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<j\u00f6rg@absender.test>", "553 5.6.7 Must declare SMTPUTF8");
            client.command("MAIL FROM:<joerg@absender.test>", "250 ");
            client.command("RCPT TO:<\u00e9l\u00e8ve@b\u00fccher.test>", "553 5.6.7");
        }
    }

    @Test
    void relayDomainsMatchUnicodeAndPunycodeAlike() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test> SMTPUTF8", "250 ");
            client.command("RCPT TO:<x@xn--bcher-kva.test>", "250 ");
            client.command("RCPT TO:<y@B\u00dcCHER.test>", "250 ");
            client.command("RCPT TO:<z@other.test>", "554 5.7.1");
        }
    }

    @Test
    void asciiMessageWithSmtpUtf8IsStillFlagged() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test> SMTPUTF8", "250 ");
            client.command("RCPT TO:<x@b\u00fccher.test>", "250 ");
            client.command("DATA", "354 ");
            client.sendRaw("x\r\n.\r\n");
            client.expect("250 ");
        }
        assertThat(listener.received().get(before).getMessage().getHeader(SmtpdConstants.SMTPUTF8)).isEqualTo(true);
    }
}
