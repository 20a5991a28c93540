package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XCLIENT on the shipped listener: only for gateway.smtp.xclient-hosts, and then the session is the named client's. */
class XclientTest {

    @TempDir
    Path dir;

    @Test
    void aClientNotListedHearsInsufficientAuthorizationAndNoExtension() throws Exception {
        try (TestGateway gateway = TestGateway.start(dir, Map.of("gateway.relay.enabled", "false"));
                SmtpClient client = SmtpClient.connect(gateway.port())) {
            assertThat(client.command("EHLO proxy.test", "250")).doesNotContain("XCLIENT");
            client.command("XCLIENT ADDR=192.0.2.9", "550 5.7.0 Error: insufficient authorization");
            client.command("MAIL FROM:<a@src.test>", "250");
            client.command("RCPT TO:<someone@elsewhere.test>", "250"); // still 127.0.0.1: a trusted network
        }
    }

    @Test
    void aListedProxySpeaksForAnotherClientWhoIsJudgedAsItself() throws Exception {
        try (TestGateway gateway = TestGateway.start(dir, Map.of("gateway.relay.enabled", "false",
                "gateway.smtp.xclient-hosts", "127.0.0.1/32", "gateway.relay-domains", "dest.test",
                "gateway.relay-recipients", ""));
                SmtpClient client = SmtpClient.connect(gateway.port())) {
            assertThat(client.command("EHLO proxy.test", "250")).contains("XCLIENT ADDR NAME PORT PROTO HELO LOGIN");
            client.command("XCLIENT ADDR=192.0.2.9 PORT=4711 HELO=mta.example.test NAME=[UNAVAILABLE]", "220 ");
            assertThat(client.command("EHLO mta.example.test", "250")).as("the new client may not XCLIENT")
                    .doesNotContain("XCLIENT");
            client.command("MAIL FROM:<a@src.test>", "250");
            client.command("RCPT TO:<someone@elsewhere.test>", "554 5.7.1 <someone@elsewhere.test>: Relay access denied");
            client.command("RCPT TO:<r@dest.test>", "250");
            client.command("RSET", "250");
            client.command("XCLIENT ADDR=192.0.2.10", "550 5.7.0");
        }
    }

    @Test
    void badAttributesAreRefusedWithoutChangingTheSession() throws Exception {
        try (TestGateway gateway = TestGateway.start(dir, Map.of("gateway.relay.enabled", "false",
                "gateway.smtp.xclient-hosts", "127.0.0.1/32"));
                SmtpClient client = SmtpClient.connect(gateway.port())) {
            client.command("EHLO proxy.test", "250");
            client.command("XCLIENT", "501 5.5.4 Syntax: XCLIENT attribute=value...");
            client.command("XCLIENT ADDR=mail.example.test", "501 5.5.4 Bad ADDR syntax");
            client.command("XCLIENT COLOR=blue", "501 5.5.4 Bad XCLIENT attribute name: COLOR");
            client.command("XCLIENT LOGIN=a+2", "501 5.5.4 Bad LOGIN syntax");
            client.command("MAIL FROM:<a@src.test>", "250");
            client.command("XCLIENT ADDR=192.0.2.9", "503 5.5.1 Error: MAIL transaction in progress");
            client.command("RCPT TO:<someone@elsewhere.test>", "250"); // still the trusted proxy itself
        }
    }
}
