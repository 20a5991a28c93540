package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import dev.mailgateway.testing.TraceHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client writes reaches the listener's log lines with its control characters escaped (issue 8, finding 9):
 * the message of each event, before any layout, holds no line break and no terminal control.
 */
class LogEscapingTest {

    private static final String UNTRUSTED = "trustedNetworks=192.0.2.0/24&relayDomains=dest.test";

    private static void assertNoControls(LogLines log) {
        assertThat(log.lines()).isNotEmpty().allSatisfy(line -> assertThat(line.chars()
                .filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))).as(line).isEmpty());
    }

    @Test
    void heloWithCarriageReturnAndNulReachesTheSessionAndIsLoggedEscaped() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start(UNTRUSTED);
                SmtpClient client = SmtpClient.connect(listener.port())) {
            // a command line ends at LF only (a CR right before it is dropped): a CR inside and a NUL stay in it
            client.sendRaw("EHLO evil.test\rFAKE\u0000x\r\n").expect("250 ");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@elsewhere.test>", "554 5.7.1");
            client.command("RSET", "250 ");
            client.sendMessage("a@src.test", "x\r\n", "b@dest.test");

            assertThat(log.lines()).filteredOn(l -> l.contains("helo=<")).hasSize(2)
                    .allSatisfy(l -> assertThat(l).contains("helo=<evil.test\\rFAKE\\x00x>"));
            assertNoControls(log);
            // the Received header had its own defence already
            assertThat(TraceHeader.first(listener.received().get(0).getMessage().getBody(byte[].class)))
                    .startsWith("Received: from evil.test?FAKE?x (");
        }
    }

    @Test
    void authLoginUserNameWithANewlineStaysOnItsOwnLogLine(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice:" + PasswordHash.bcrypt("wonderland") + "\n");
        String forged = "alice\n2024-01-01 00:00:00.000 INFO  smtpd: [192.0.2.9]:25: AUTH LOGIN as admin";
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start(UNTRUSTED + "&tls=none&auth=optional&authPlaintext=true"
                        + "&authFailureDelay=50ms&authUsers=" + users);
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("AUTH LOGIN", "334 ");
            client.command(b64(forged), "334 ");
            client.command(b64("guess"), "535 5.7.8");

            assertThat(log.lines()).filteredOn(l -> l.contains("AUTH LOGIN failed")).singleElement().asString()
                    .contains("user=<alice\\n2024-01-01 00:00:00.000 INFO  smtpd: [192.0.2.9]:25: AUTH LOGIN as admin>");
            assertThat(log.lines()).noneMatch(l -> l.startsWith("2024-01-01"));
            assertNoControls(log);
        }
    }

    @Test
    void addressesWithControlCharactersAreLoggedEscaped() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start(UNTRUSTED);
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            // under SMTPUTF8 a quoted local part may hold C1 controls (U+009B: CSI for some terminals)
            client.command("MAIL FROM:<\"\u0085x\"@src.test> SMTPUTF8", "250 ");
            client.command("RCPT TO:<\"\u009b2J\"@elsewhere.test>", "554 5.7.1");

            assertThat(log.lines()).filteredOn(l -> l.contains("NOQUEUE: reject: RCPT")).singleElement().asString()
                    .contains("from=<\"\\u0085x\"@src.test> to=<\"\\u009b2J\"@elsewhere.test>");
            assertNoControls(log);
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
