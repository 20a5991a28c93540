package dev.mailgateway.filter;

import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.atNextHop;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.message;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.send;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.spamLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken content through the shipped routes: each has a defined result (accepted with the defect
 * scored, or refused with a clear reply), never a crash or a 451 from an exception, and the next client is served.
 */
class BadContentThroughTheGatewayTest {

    private static final String CLIENT = "127.0.0.62";

    @TempDir
    static Path dir;
    private static Sink next;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
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

    private static String token() {
        return UUID.randomUUID().toString();
    }

    private static String multipart(String token, String boundary, String parts) {
        return "From: sender@src.test\r\nSubject: parts\r\nX-Test-Token: " + token + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n" + parts;
    }

    /** The defect is scored, the message delivered, and a plain message after it goes through as before. */
    private static void acceptedWithDefect(String message, String token, String defect) throws Exception {
        assertThat(send(gateway, CLIENT, message)).startsWith("250");
        assertThat(spamLines(atNextHop(next, token))).contains(defect);
        String after = token();
        assertThat(send(gateway, CLIENT, message(after, "next", "the next client"))).startsWith("250");
        assertThat(spamLines(atNextHop(next, after))).startsWith("X-Spam-Score: 0\r\n");
    }

    @Test
    void tenThousandPartsAreScoredAsTooManyParts() throws Exception {
        String token = token();
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            parts.append("--b\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        parts.append("--b--\r\n");
        acceptedWithDefect(multipart(token, "b", parts.toString()), token, "MIME_TOO_MANY_PARTS");
    }

    @Test
    void aHundredLevelsOfNestingAreScoredAsTooDeep() throws Exception {
        String token = token();
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 1; i < 100; i++) {
            open.append("--n").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=\"n").append(i)
                    .append("\"\r\n\r\n");
            close.insert(0, "--n" + i + "--\r\n");
        }
        String parts = open + "--n99\r\nContent-Type: text/plain\r\n\r\ndeep\r\n" + close + "--n0--\r\n";
        acceptedWithDefect(multipart(token, "n0", parts), token, "MIME_TOO_DEEP");
    }

    @Test
    void invalidBase64AndQuotedPrintableAreScoredAsBadEncoding() throws Exception {
        String token = token();
        String parts = "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "!!!not*base64@@@\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable"
                + "\r\n\r\nbroken =ZZ soft=\r\n--b--\r\n";
        acceptedWithDefect(multipart(token, "b", parts), token, "MIME_BAD_ENCODING");
    }

    @Test
    void malformedMimeIsDeliveredAsItCame() throws Exception {
        String token = token();
        String message = "From: sender@src.test\r\nX-Test-Token: " + token + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed\r\n\r\n--\r\nContent-Type: text/plain\r\n\r\nno boundary, no end\r\n";
        assertThat(send(gateway, CLIENT, message)).startsWith("250");
        String received = atNextHop(next, token);
        assertThat(received).endsWith(message + "\r\n");
        assertThat(spamLines(received)).contains("MIME_MALFORMED");
    }

    /**
     * 20 MB, spilled to disk by the listener: scanned to its last part (the executable after 20 MB of attachment
     * is found), and the next client is served.
     */
    @Test
    void aTwentyMegabyteMessageIsScannedToItsEnd() throws Exception {
        String reply;
        try (SmtpClient smtp = new SmtpClient(InetAddress.getByName(CLIENT), gateway.port())) {
            smtp.readTimeout(Duration.ofMinutes(3));
            smtp.expect("220");
            smtp.command("EHLO client.test", "250");
            smtp.command("MAIL FROM:<sender@src.test>", "250");
            smtp.command("RCPT TO:<user@dest.test>", "250");
            smtp.command("DATA", "354");
            smtp.stream(out -> {
                write(out, multipart(token(), "big", "--big\r\nContent-Type: application/pdf\r\n"
                        + "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n"));
                byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3"
                        + "\r\n").getBytes(StandardCharsets.US_ASCII);
                for (long written = 0; written < 20L * 1024 * 1024; written += line.length) {
                    out.write(line);
                }
                write(out, "--big\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment;"
                        + " filename=\"setup.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAE\r\n"
                        + "--big--\r\n.\r\n");
                return null;
            });
            reply = smtp.reply();
        }
        assertThat(reply).isEqualTo("554 5.7.1 Message rejected: attachment type not allowed (setup.exe)");
        String after = token();
        assertThat(send(gateway, CLIENT, message(after, "next", "the next client"))).startsWith("250");
    }

    private static void write(OutputStream out, String text) throws java.io.IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
}
