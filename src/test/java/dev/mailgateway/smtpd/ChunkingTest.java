package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import dev.mailgateway.testing.TraceHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** BDAT (RFC 3030 CHUNKING): length-delimited chunks, pipelined, answered one by one. */
class ChunkingTest {

    private static TestListener listener;

    @BeforeAll
    static void start() throws Exception {
        listener = TestListener.start("maxMessageSize=2000");
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void severalChunksMakeOneMessageByteForByte() throws Exception {
        int before = listener.received().size();
        String first = "Subject: chunks\r\n\r\n.a line with a leading dot\r\n";
        String second = ".\r\nnot the end\r\n";
        String third = "caf\u00e9 \u2603\r\n";
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test> BODY=8BITMIME", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.sendRaw("BDAT " + bytes(first).length + "\r\n" + first);
            client.expect("250 2.0.0 Ok: " + bytes(first).length + " octets received");
            client.sendRaw("BDAT " + bytes(second).length + "\r\n" + second);
            client.expect("250 2.0.0 Ok: ");
            client.sendRaw("BDAT " + bytes(third).length + " LAST\r\n" + third);
            client.expect("250 2.0.0 Ok: queued as ");
        }
        byte[] body = listener.received().get(before).getMessage().getBody(byte[].class);
        assertThat(new String(TraceHeader.strip(body), StandardCharsets.UTF_8)).isEqualTo(first + second + third);
        assertThat(TraceHeader.first(body)).contains("for <b@dest.test>");
    }

    @Test
    void pipelinedChunksAndAnEmptyLastChunk() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendRaw("MAIL FROM:<a@src.test>\r\nRCPT TO:<b@dest.test>\r\nBDAT 5\r\nabc\r\nBDAT 0 LAST\r\nQUIT\r\n");
            client.expect("250 2.1.0");
            client.expect("250 2.1.5");
            client.expect("250 2.0.0 Ok: 5 octets received");
            client.expect("250 2.0.0 Ok: queued as ");
            client.expect("221 ");
        }
        assertThat(TraceHeader.strip(listener.received().get(before).getMessage().getBody(byte[].class)))
                .isEqualTo(bytes("abc\r\n"));
    }

    @Test
    void chunkOutsideATransactionIsReadAndRefused() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendRaw("BDAT 12\r\nNOOP\r\nNOOP\r\n"); // twelve bytes of content that look like commands
            client.expect("503 5.5.1 Error: need MAIL command");
            client.command("NOOP", "250 ");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.sendRaw("BDAT 3 LAST\r\nabc");
            client.expect("503 5.5.1 Error: need RCPT command");
        }
    }

    @Test
    void dataAfterBdatIsOutOfOrder() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.sendRaw("BDAT 3\r\nabc");
            client.expect("250 ");
            client.command("DATA", "503 5.5.1 Error: DATA is not allowed after BDAT");
            client.command("RSET", "250 ");
        }
    }

    @Test
    void chunksOverTheSizeLimitEndTheTransaction() throws Exception {
        String chunk = ("x".repeat(98) + "\r\n").repeat(15);
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.sendRaw("BDAT 1500\r\n" + chunk);
            client.expect("250 ");
            client.sendRaw("BDAT 1500\r\n" + chunk);
            client.expect("552 5.3.4");
            client.sendRaw("BDAT 1500 LAST\r\n" + chunk);
            client.expect("503 5.5.1 Error: need MAIL command");
        }
    }

    @Test
    void bareLineEndingsInChunksAreRefusedAsInData() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.sendRaw("BDAT 8 LAST\r\na\nb\r\nc\r\n");
            client.expect("550 5.5.2");
        }
        assertThat(listener.received()).hasSize(before);
    }

    @Test
    void malformedChunkSizeEndsTheSession() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.command("BDAT lots", "501 5.5.4 Syntax: BDAT count [LAST]");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void chunkedMessageWithSeveralRecipients() throws Exception {
        int before = listener.received().size();
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.command("RCPT TO:<c@dest.test>", "250 ");
            client.sendRaw("BDAT 5 LAST\r\nx\r\n\r\n");
            client.expect("250 2.0.0 Ok: queued as ");
        }
        assertThat(listener.received().get(before).getMessage().getHeader(SmtpdConstants.RECIPIENTS))
                .isEqualTo(List.of("b@dest.test", "c@dest.test"));
    }
}
