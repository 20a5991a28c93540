package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling (CVE-2023-51764 and kin): a client hides a second message behind an end-of-data sequence that
 * some server along the way takes for the real one. Only CRLF.CRLF may end data. Each published vector is sent
 * with a complete smuggled transaction behind it; the listener must see one message, not two.
 */
class SmtpSmugglingTest {

    private static final String SMUGGLED = "MAIL FROM:<admin@victim.test>\r\nRCPT TO:<ceo@dest.test>\r\nDATA\r\n"
            + "From: admin@victim.test\r\nSubject: smuggled\r\n\r\nwire the money\r\n.\r\n";

    private static TestListener rejecting;
    private static TestListener normalizing;

    @BeforeAll
    static void start() throws Exception {
        rejecting = TestListener.start("");
        normalizing = TestListener.start("bareLineEndings=normalize");
    }

    @AfterAll
    static void stop() {
        rejecting.close();
        normalizing.close();
    }

    /** Each vector as written by the research: L = LF, C = CR, N = NUL. */
    private static String decode(String vector) {
        return vector.replace("C", "\r").replace("L", "\n").replace("N", "\0");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"L.L", "L.CL", "CL.L", "C.C", "CL.C", "C.CL", "L.C", "C.L", "CCL.CCL", "CL.CCL"})
    void smuggledMessageIsRefusedWithTheCarrierByDefault(String vector) throws Exception {
        int before = rejecting.received().size();
        try (SmtpClient client = SmtpClient.ehlo(rejecting.port())) {
            client.startData("user@src.test", "friend@dest.test");
            client.sendRaw("Subject: innocent\r\n\r\nhello" + decode(vector) + SMUGGLED);
            client.expect("550 5.5.2 Error: bare <CR> or <LF> in message");
            client.command("NOOP", "250 "); // nothing else was answered, and the session goes on
        }
        assertThat(rejecting.received()).hasSize(before);
    }

    /** A NUL beside the dot hides it from servers that drop NULs; here it is content, and so is the rest. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CLN.CL", "CL.NCL"})
    void dotWithNulBesideItIsContent(String vector) throws Exception {
        int before = rejecting.received().size();
        try (SmtpClient client = SmtpClient.ehlo(rejecting.port())) {
            client.startData("user@src.test", "friend@dest.test");
            client.sendRaw("Subject: innocent\r\n\r\nhello" + decode(vector) + SMUGGLED);
            client.expect("250 2.0.0 Ok: queued as ");
            client.command("NOOP", "250 ");
        }
        assertThat(rejecting.received()).hasSize(before + 1);
        assertThat(rejecting.received().get(before).getMessage().getBody(String.class))
                .contains("MAIL FROM:<admin@victim.test>\r\n").endsWith("wire the money\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"L.L", "L.CL", "CL.L", "C.C", "CL.C", "C.CL", "L.C", "C.L"})
    void normalizingKeepsTheWholeTextInOneMessage(String vector) throws Exception {
        int before = normalizing.received().size();
        try (SmtpClient client = SmtpClient.ehlo(normalizing.port())) {
            client.startData("user@src.test", "friend@dest.test");
            client.sendRaw("Subject: innocent\r\n\r\nhello" + decode(vector) + SMUGGLED);
            client.expect("250 2.0.0 Ok: queued as ");
            client.command("NOOP", "250 ");
        }
        assertThat(normalizing.received()).hasSize(before + 1);
        String body = normalizing.received().get(before).getMessage().getBody(String.class);
        assertThat(body).contains("MAIL FROM:<admin@victim.test>\r\n").endsWith("wire the money\r\n");
        assertThat(body.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        assertThat(normalizing.received().get(before).getMessage().getHeader(SmtpdConstants.SENDER))
                .isEqualTo("user@src.test");
    }
}
