package dev.mailgateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.Tarpit;
import dev.mailgateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recipient verification through the shipped policy route: a gateway in front of a mail system (the sink, which
 * refuses perm... users with 550 5.1.1) asks it about each recipient before answering RCPT, so it never takes mail
 * it would have to bounce. Delivery is off: what the next hop sees are the probes alone.
 */
class RecipientVerificationThroughShippedPolicyTest {

    @TempDir
    static Path dir;
    private static Sink exchange;
    private static Tarpit silent;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        exchange = Sink.start("tls=none");
        silent = Tarpit.start(Duration.ofSeconds(120));
        Path recipients = Files.writeString(dir.resolve("relay-recipients"), "bob@listed.test\n");
        gateway = TestGateway.start(dir.resolve("gateway"), Map.ofEntries(
                Map.entry("gateway.trusted-networks", "192.0.2.0/24"),
                Map.entry("gateway.relay-domains", "corp.test,slow.test,listed.test"),
                Map.entry("gateway.relay-recipients", recipients.toString()),
                Map.entry("gateway.relay-recipients.verify", "true"),
                Map.entry("gateway.relay-recipients.verify-timeout", "3s"),
                Map.entry("gateway.transport-map", "corp.test=" + exchange.address() + ",slow.test=127.0.0.1:"
                        + silent.port()),
                Map.entry("gateway.relay.enabled", "false"),
                Map.entry("gateway.submission.enabled", "false"),
                Map.entry("gateway.submissions.enabled", "false")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (silent != null) {
            silent.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (exchange != null) {
            exchange.close();
        }
    }

    private static String rcpt(String recipient) throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.command("MAIL FROM:<someone@sender.test>", "250");
            client.send("RCPT TO:<" + recipient + ">");
            return client.reply();
        }
    }

    @Test
    void aUserTheNextHopRefusesIsRefusedAtOurRcpt() throws Exception {
        assertThat(rcpt("perm-gone@corp.test")).isEqualTo("550 5.1.1 <perm-gone@corp.test>: Recipient address "
                + "rejected: undeliverable address: 550 5.1.1 No such user");
    }

    @Test
    void aUserTheNextHopTakesIsAcceptedAndAskedAboutOnlyOnce() throws Exception {
        assertThat(rcpt("alice@corp.test")).startsWith("250");
        assertThat(rcpt("alice@corp.test")).startsWith("250");
        assertThat(rcpt("perm-twice@corp.test")).startsWith("550 5.1.1");
        assertThat(rcpt("perm-twice@corp.test")).startsWith("550 5.1.1");
        assertThat(exchange.attempts("alice@corp.test")).as("probes of alice").isEqualTo(1);
        assertThat(exchange.attempts("perm-twice@corp.test")).as("probes of perm-twice").isEqualTo(1);
        assertThat(exchange.received()).as("a probe never sends a message").isEmpty();
    }

    @Test
    void aNextHopThatDoesNotAnswerInTimeGetsATemporaryRefusal() throws Exception {
        assertThat(rcpt("carol@slow.test")).startsWith("450 4.1.1 <carol@slow.test>: Recipient address rejected: "
                + "unverified address:");
    }

    @Test
    void recipientsTheMapNamesAreNotProbedAndItsOtherUsersAreUnknown() throws Exception {
        assertThat(rcpt("bob@listed.test")).startsWith("250");
        assertThat(rcpt("carol@listed.test")).isEqualTo("550 5.1.1 <carol@listed.test>: Recipient address "
                + "rejected: User unknown in relay recipient table");
    }

    @Test
    void verificationOnWithoutAPolicyRouteToDoItRefusesToStart(@TempDir Path other) {
        // unlisted relay-domain recipients would get past the recipient map and be accepted unverified
        assertThatThrownBy(() -> TestGateway.start(other, Map.of("gateway.relay-domains", "corp.test",
                "gateway.relay-recipients.verify", "true", "gateway.policy.route", "",
                "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false")).close())
                .hasStackTraceContaining("mail-policy:verify-recipient");
    }
}
