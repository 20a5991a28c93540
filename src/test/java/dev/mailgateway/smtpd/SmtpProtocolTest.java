package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RFC 5321 conversation, over a real socket: commands, their order, their syntax and their replies. */
class SmtpProtocolTest {

    private static TestListener listener;

    @BeforeAll
    static void start() throws Exception {
        listener = TestListener.start("maxMessageSize=1000&maxRecipients=3&relayDomains=dest.test");
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    private SmtpClient connect() throws Exception {
        return SmtpClient.connect(listener.port());
    }

    @Test
    void greetingAndEhloNameTheConfiguredHostAndItsExtensions() throws Exception {
        try (SmtpClient client = new SmtpClient(listener.port())) {
            assertThat(client.reply()).isEqualTo("220 mx.gateway.test ESMTP");
            String ehlo = client.command("EHLO client.test", "250 ");
            assertThat(ehlo.split("\n")).containsExactly("250-mx.gateway.test", "250-PIPELINING", "250-SIZE 1000",
                    "250-STARTTLS", "250-ENHANCEDSTATUSCODES", "250-8BITMIME", "250-CHUNKING", "250 SMTPUTF8");
        }
    }

    @Test
    void heloAnswersWithoutExtensions() throws Exception {
        try (SmtpClient client = connect()) {
            assertThat(client.command("HELO client.test", "250 ")).isEqualTo("250 mx.gateway.test");
        }
    }

    @Test
    void ehloWithoutNameIsASyntaxError() throws Exception {
        try (SmtpClient client = connect()) {
            client.command("EHLO", "501 5.5.4 Syntax: EHLO hostname");
            client.command("HELO ", "501 5.5.4 Syntax: HELO hostname");
        }
    }

    @Test
    void aWholeTransactionIsAcceptedAndTheRouteGetsTheEnvelope() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = connect()) {
            client.command("EHLO client.test", "250 ");
            client.command("MAIL FROM:<alice@src.test> BODY=8BITMIME SIZE=100", "250 2.1.0 Ok");
            client.command("RCPT TO:<bob@dest.test>", "250 2.1.5 Ok");
            client.command("RCPT TO:<carol@dest.test>", "250 2.1.5 Ok");
            client.command("DATA", "354 End data with <CR><LF>.<CR><LF>");
            client.sendRaw("Subject: hi\r\n\r\nbody\r\n.\r\n");
            String reply = client.expect("250 2.0.0 Ok: queued as ");
            client.command("QUIT", "221 2.0.0 Bye");
            assertThat(client.isClosedByServer()).isTrue();

            Message message = listener.received().get(before).getMessage();
            String queueId = reply.substring("250 2.0.0 Ok: queued as ".length());
            assertThat(message.getHeader(SmtpdConstants.QUEUE_ID)).isEqualTo(queueId);
            assertThat(message.getHeader(SmtpdConstants.SENDER)).isEqualTo("alice@src.test");
            assertThat(message.getHeader(SmtpdConstants.RECIPIENTS)).isEqualTo(List.of("bob@dest.test", "carol@dest.test"));
            assertThat(message.getHeader(SmtpdConstants.BODY_TYPE)).isEqualTo("8BITMIME");
            assertThat(message.getHeader(SmtpdConstants.CLIENT_ADDRESS)).isEqualTo("127.0.0.1");
            assertThat(message.getHeader(SmtpdConstants.CLIENT_PORT, Integer.class)).isPositive();
            assertThat(message.getHeader(SmtpdConstants.HELO)).isEqualTo("client.test");
            assertThat(message.getHeader(SmtpdConstants.LISTENER)).isEqualTo("test");
            assertThat(message.getHeader(TestListener.ROUTE_THREAD, String.class))
                    .as("routes run on the worker pool, never on a network thread")
                    .startsWith("Camel").contains("smtpd-test").doesNotStartWith("smtpd-io");
            String body = new String(message.getBody(byte[].class), StandardCharsets.UTF_8);
            assertThat(body).startsWith("Received: from client.test ([127.0.0.1])\r\n\tby mx.gateway.test with ESMTP id "
                    + queueId + ";\r\n\t").endsWith("\r\nSubject: hi\r\n\r\nbody\r\n");
        }
    }

    @Test
    void receivedHeaderNamesTheRecipientOnlyWhenThereIsOne() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendMessage("a@src.test", "x\r\n", "only@dest.test");
            client.sendMessage("a@src.test", "x\r\n", "one@dest.test", "bcc@dest.test");
        }
        String single = listener.received().get(before).getMessage().getBody(String.class);
        String multiple = listener.received().get(before + 1).getMessage().getBody(String.class);
        assertThat(single.substring(0, single.indexOf("\r\nx\r\n"))).contains("\r\n\tfor <only@dest.test>; ");
        assertThat(multiple).doesNotContain("for <").doesNotContain("bcc@dest.test");
    }

    @Test
    void dotStuffingIsRemovedAndTheBodyIsOtherwiseUntouched() throws Exception {
        int before = listener.received().size();
        byte[] eightBit = "Subject: caf\u00e9\r\n\r\n..leading dot\r\n.\r\n".getBytes(StandardCharsets.UTF_8);
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.startData("a@src.test", "b@dest.test");
            client.sendRaw(eightBit);
            client.expect("250 ");
        }
        byte[] body = listener.received().get(before).getMessage().getBody(byte[].class);
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(text.substring(text.indexOf("Subject:"))).isEqualTo("Subject: caf\u00e9\r\n\r\n.leading dot\r\n");
    }

    @Test
    void emptyMessageIsAccepted() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendMessage("a@src.test", "", "b@dest.test");
        }
    }

    @Test
    void nullSenderIsAccepted() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendMessage("", "Subject: bounce\r\n\r\n", "b@dest.test");
        }
        assertThat(listener.received().get(before).getMessage().getHeader(SmtpdConstants.SENDER)).isEqualTo("");
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = connect()) {
            client.sendRaw("EHLO client.test\r\nMAIL FROM:<a@src.test>\r\nRCPT TO:<b@dest.test>\r\n"
                    + "RCPT TO:<bad address>\r\nRCPT TO:<c@dest.test>\r\nDATA\r\n");
            client.expect("250 SMTPUTF8");
            client.expect("250 2.1.0");
            client.expect("250 2.1.5");
            client.expect("501 5.1.3");
            client.expect("250 2.1.5");
            client.expect("354 ");
            // the end of data and the next transaction pipelined in one packet
            client.sendRaw("hello\r\n.\r\nMAIL FROM:<d@src.test>\r\nRCPT TO:<e@dest.test>\r\nDATA\r\n");
            client.expect("250 2.0.0 Ok: queued as ");
            client.expect("250 2.1.0");
            client.expect("250 2.1.5");
            client.expect("354 ");
            client.sendRaw("second\r\n.\r\nQUIT\r\n");
            client.expect("250 2.0.0 Ok: queued as ");
            client.expect("221 ");
        }
        assertThat(listener.received().get(before).getMessage().getHeader(SmtpdConstants.RECIPIENTS))
                .isEqualTo(List.of("b@dest.test", "c@dest.test"));
        assertThat(listener.received().get(before + 1).getMessage().getHeader(SmtpdConstants.SENDER))
                .isEqualTo("d@src.test");
    }

    @Test
    void commandsOutOfOrderGet503() throws Exception {
        try (SmtpClient client = connect()) {
            client.command("MAIL FROM:<a@src.test>", "503 5.5.1 Error: send HELO/EHLO first");
            client.command("EHLO client.test", "250 ");
            client.command("RCPT TO:<b@dest.test>", "503 5.5.1 Error: need MAIL command");
            client.command("DATA", "503 5.5.1 Error: need MAIL command");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("MAIL FROM:<a@src.test>", "503 5.5.1 Error: nested MAIL command");
            client.command("DATA", "503 5.5.1 Error: need RCPT command");
            client.command("RCPT TO:<bad address>", "501 5.1.3");
            client.command("DATA", "554 5.5.1 Error: no valid recipients");
        }
    }

    @Test
    void rsetAndHeloEndTheTransaction() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RSET", "250 2.0.0 Ok");
            client.command("RCPT TO:<b@dest.test>", "503 5.5.1");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("EHLO again.test", "250 ");
            client.command("RCPT TO:<b@dest.test>", "503 5.5.1");
            client.command("RSET extra", "501 5.5.4");
        }
    }

    @Test
    void noopVrfyHelpAndExpn() throws Exception {
        try (SmtpClient client = connect()) {
            client.command("NOOP", "250 2.0.0 Ok");
            client.command("NOOP anything", "250 2.0.0 Ok");
            client.command("VRFY someone", "252 2.0.0 ");
            client.command("VRFY", "501 5.5.4");
            client.command("HELP", "214 2.0.0 ");
            client.command("EXPN list", "502 5.5.1");
        }
    }

    @Test
    void verbsAreCaseInsensitive() throws Exception {
        try (SmtpClient client = connect()) {
            client.command("ehlo client.test", "250 ");
            client.command("mail from:<a@src.test>", "250 ");
            client.command("rcpt to:<b@dest.test>", "250 ");
            client.command("rset", "250 ");
        }
    }

    @Test
    void unknownCommandGets500() throws Exception {
        try (SmtpClient client = connect()) {
            client.command("FROB", "500 5.5.2 Error: command not recognized");
            client.command("", "500 5.5.2");
        }
    }

    @Test
    void httpRequestOnTheSmtpPortEndsTheSession() throws Exception {
        try (SmtpClient client = connect()) {
            client.sendRaw("GET / HTTP/1.1\r\nHost: mx.gateway.test\r\n\r\n");
            client.expect("221 2.7.0");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void commandLineOverTheLimitGets500AndTheSessionGoesOn() throws Exception {
        try (SmtpClient client = connect()) {
            client.command("NOOP " + "x".repeat(5000), "500 5.5.2 Error: line too long");
            client.command("NOOP " + "y".repeat(2040), "250 ");
            client.command("EHLO client.test", "250 ");
        }
    }

    @Test
    void badSenderSyntaxGets501With517() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:a@src.test", "501 5.1.7 Bad sender address syntax");
            client.command("MAIL FROM:<a@>", "501 5.1.7");
            client.command("MAIL FROM:<@src.test>", "501 5.1.7");
            client.command("MAIL FROM:<a b@src.test>", "501 5.1.7");
            client.command("MAIL FROM:<a@src..test>", "501 5.1.7");
            client.command("MAIL FROM:<a@src.test", "501 5.1.7");
            client.command("MAIL FROM:<a@src.test>junk", "501 5.1.7");
            client.command("MAIL FROM:<caf\u00e9@src.test>", "553 5.6.7 Must declare SMTPUTF8");
            client.command("MAIL TO:<a@src.test>", "501 5.5.4 Syntax: MAIL FROM:<address>");
            client.command("MAIL", "501 5.5.4");
        }
    }

    @Test
    void senderVariantsThatAreValid() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM: <a@src.test>", "250 ");
            client.command("RSET", "250 ");
            client.command("MAIL FROM:<\"john doe\"@src.test>", "250 ");
            client.command("RSET", "250 ");
            client.command("MAIL FROM:<@relay.test,@other.test:a@src.test>", "250 ");
            client.command("RSET", "250 ");
            client.command("MAIL FROM:<a@[192.0.2.1]>", "250 ");
        }
    }

    @Test
    void badRecipientSyntaxGets501With513() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:b@dest.test", "501 5.1.3 Bad recipient address syntax");
            client.command("RCPT TO:<>", "501 5.1.3");
            client.command("RCPT TO:<b@@dest.test>", "501 5.1.3");
            client.command("RCPT TO:<b@dest.test", "501 5.1.3");
            client.command("RCPT FROM:<b@dest.test>", "501 5.5.4 Syntax: RCPT TO:<address>");
            client.command("RCPT TO:<b@dest.test>", "250 ");
        }
    }

    @Test
    void postmasterWithoutDomainIsAlwaysAccepted() throws Exception {
        try (TestListener closed = TestListener.start("trustedNetworks=");
                SmtpClient client = SmtpClient.ehlo(closed.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<Postmaster>", "250 2.1.5");
            client.command("RCPT TO:<someone@dest.test>", "554 5.7.1");
        }
    }

    @Test
    void unsupportedParametersGet555() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test> FROB=1", "555 5.5.4 Unsupported option: FROB");
            client.command("MAIL FROM:<a@src.test> BODY=BINARYMIME", "501 5.5.4");
            client.command("MAIL FROM:<a@src.test> SIZE=abc", "501 5.5.4");
            client.command("MAIL FROM:<a@src.test> SIZE=1 SIZE=2", "501 5.5.4");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test> NOTIFY=NEVER", "555 5.5.4 Unsupported option: NOTIFY");
        }
    }

    @Test
    void declaredSizeOverTheLimitGets552AtMail() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test> SIZE=1001", "552 5.3.4 Message size exceeds fixed limit");
            client.command("MAIL FROM:<a@src.test> SIZE=1000", "250 ");
        }
    }

    @Test
    void dataOverTheLimitGets552AfterTheDataAndTheSessionGoesOn() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.startData("a@src.test", "b@dest.test");
            client.sendRaw(("x".repeat(70) + "\r\n").repeat(20) + ".\r\n");
            client.expect("552 5.3.4 Error: message file too big");
            client.sendMessage("a@src.test", "small\r\n", "b@dest.test");
        }
        assertThat(listener.received()).hasSize(before + 1);
    }

    @Test
    void moreRecipientsThanTheLimitGet452() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<r1@dest.test>", "250 ");
            client.command("RCPT TO:<r2@dest.test>", "250 ");
            client.command("RCPT TO:<r3@dest.test>", "250 ");
            client.command("RCPT TO:<r4@dest.test>", "452 4.5.3 Error: too many recipients");
            client.command("RCPT TO:<r1@dest.test>", "250 "); // a duplicate takes no new place
            client.command("DATA", "354 ");
            client.sendRaw("x\r\n.\r\n");
            client.expect("250 ");
        }
    }

    @Test
    void duplicateRecipientsAreKeptOnce() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendMessage("a@src.test", "x\r\n", "b@dest.test", "b@DEST.test", "c@dest.test");
        }
        assertThat(listener.received().get(before).getMessage().getHeader(SmtpdConstants.RECIPIENTS))
                .isEqualTo(List.of("b@dest.test", "c@dest.test"));
    }

    @Test
    void tooManyErrorsEndTheSessionWith421() throws Exception {
        try (TestListener strict = TestListener.start("maxErrors=3");
                SmtpClient client = SmtpClient.connect(strict.port())) {
            client.command("FROB", "500 ");
            client.command("FROB", "500 ");
            client.send("FROB");
            client.expect("500 ");
            client.expect("421 4.7.0 mx.gateway.test Error: too many errors");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }
}
