package dev.mailgateway.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.TraceHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address maps through the real gateway: the shipped routes with {@code mail-edit:address-map} put before the
 * spool, a client over SMTP, and the next hop (a real SMTP server) seeing the rewritten envelope (MAIL FROM, RCPT
 * TO) and header addresses, every other byte as the client sent it.
 */
class AddressRewritingThroughRoutesTest {

    private static final String SENDER_MAP = """
            # the test's sender map
            sender@src.test                          Sender.Name@corp.test
            @old.test                                @new.test
            /^([^.@]+)\\.([^.@]+)@legacy\\.test$/i    $2.$1@corp.test
            """;
    private static final String RECIPIENT_MAP = """
            user@dest.test                           mailbox@dest.test
            @alias.test                              @dest.test
            /^([^+@]+)\\+[^@]*@dest\\.test$/          $1@dest.test
            """;

    @TempDir
    static Path dir;
    private static DnsServer dns;
    private static Sink next;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = DnsServer.start(); // nothing here should ask DNS; if something does, not the host's
        next = Sink.start("");
        gateway = TestGateway.start(dir.resolve("gateway"), Map.of(
                "camel.main.routes-include-pattern", "file:" + routesWithAddressMap() + "/*.yaml",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.dns.server", dns.address(),
                "gateway.rewrite.sender-map", Files.writeString(dir.resolve("sender-map"), SENDER_MAP).toString(),
                "gateway.rewrite.recipient-map",
                Files.writeString(dir.resolve("recipient-map"), RECIPIENT_MAP).toString(),
                "gateway.rewrite.headers", "true"));
    }

    /** A copy of the shipped routes, with the block inserted right before the spool's envelope step. */
    private static Path routesWithAddressMap() throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (DirectoryStream<Path> shipped = Files.newDirectoryStream(Path.of("routes"), "*.yaml")) {
            for (Path file : shipped) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        String spoolStep = "        - process:\n            ref: spoolEnvelope\n";
        String inbound = Files.readString(routes.resolve("inbound.yaml"));
        assertThat(inbound).contains(spoolStep);
        Files.writeString(routes.resolve("inbound.yaml"), inbound.replace(spoolStep,
                "        - to:\n            uri: mail-edit:address-map\n" + spoolStep));
        return routes;
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (next != null) {
            next.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static Sink.Received send(String from, String message, String... recipients) throws IOException {
        String token = message.substring(message.indexOf("X-Test-Token: ") + 14, message.indexOf("\r\n",
                message.indexOf("X-Test-Token: ")));
        try (SmtpClient smtp = SmtpClient.ehlo(gateway.port())) {
            smtp.sendMessage(from, message, recipients);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> next.tokens().contains(token));
        return next.received().stream()
                .filter(r -> new String(r.content(), StandardCharsets.UTF_8).contains("X-Test-Token: " + token))
                .findFirst().orElseThrow();
    }

    /** What the client sent, as the next hop has it: without the gateway's lines on top. */
    private static String asSent(Sink.Received received) {
        return new String(TraceHeader.strip(received.content()), StandardCharsets.UTF_8);
    }

    @Test
    void envelopeAndAddressFieldsAreRewrittenAndEveryOtherByteIsAsSent() throws Exception {
        String token = UUID.randomUUID().toString();
        String header = "From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <%s>\r\n"
                + "Reply-To: \"Team, Old\" <%s> (replies)\r\n"
                + "To: %s, Friends: =?ISO-8859-1?Q?Bj=F6rn?= <%s>,\r\n \"X\" <%s>;\r\n"
                + "Cc: Carol <carol@dest.test>\r\n"
                + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from sender@src.test\r\n"
                + "X-Test-Token: " + token + "\r\nMessage-ID: <" + token + "@src.test>\r\n"
                + "\r\nHello user@dest.test, this body mentions <sender@src.test> and stays as it is.\r\n";
        String sent = header.formatted("sender@src.test", "team@old.test", "user@dest.test", "bob@alias.test",
                "x+tag@dest.test");

        Sink.Received received = send("sender@src.test", sent, "user@dest.test", "bob@alias.test",
                "x+tag@dest.test", "carol@dest.test");

        assertThat(received.sender()).isEqualTo("Sender.Name@corp.test");
        assertThat(received.recipients()).containsExactlyInAnyOrder("mailbox@dest.test", "bob@dest.test",
                "x@dest.test", "carol@dest.test");
        assertThat(asSent(received)).isEqualTo(header.formatted("Sender.Name@corp.test", "team@new.test",
                "mailbox@dest.test", "bob@dest.test", "x@dest.test"));
    }

    @Test
    void aRegexRewritesTheSenderInTheEnvelopeAndInFrom() throws Exception {
        String token = UUID.randomUUID().toString();
        String sent = "From: John Smith <John.Smith@Legacy.test>\r\nTo: someone@dest.test\r\nSubject: regex\r\n"
                + "X-Test-Token: " + token + "\r\n\r\nbody\r\n";

        Sink.Received received = send("John.Smith@Legacy.test", sent, "someone@dest.test");

        assertThat(received.sender()).isEqualTo("Smith.John@corp.test");
        assertThat(received.recipients()).containsExactly("someone@dest.test");
        assertThat(asSent(received)).isEqualTo(sent.replace("<John.Smith@Legacy.test>", "<Smith.John@corp.test>"));
    }

    @Test
    void theNullSenderIsNeverRewrittenItsRecipientsAre() throws Exception {
        String token = UUID.randomUUID().toString();
        String sent = "From: MAILER-DAEMON@old.test\r\nTo: bob@alias.test\r\nSubject: bounce\r\nX-Test-Token: "
                + token + "\r\n\r\nbody\r\n";

        Sink.Received received = send("", sent, "bob@alias.test");

        assertThat(received.sender()).isEmpty();
        assertThat(received.recipients()).containsExactly("bob@dest.test");
        assertThat(asSent(received)).isEqualTo(sent.replace("From: MAILER-DAEMON@old.test", "From: MAILER-DAEMON@new.test")
                .replace("To: bob@alias.test", "To: bob@dest.test"));
    }

    @Test
    void mailNoLineAppliesToArrivesUnchanged() throws Exception {
        String token = UUID.randomUUID().toString();
        String sent = "From: Ann <ann@src.test>\r\nTo: \"Lee\" <lee@dest.test>\r\nSubject: as is\r\nX-Test-Token: "
                + token + "\r\n\r\nbody\r\n";

        Sink.Received received = send("ann@src.test", sent, "lee@dest.test");

        assertThat(received.sender()).isEqualTo("ann@src.test");
        assertThat(received.recipients()).containsExactly("lee@dest.test");
        assertThat(asSent(received)).isEqualTo(sent);
    }
}
