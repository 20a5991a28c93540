package dev.mailgateway.smtpd;

import static org.awaitility.Awaitility.await;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Never an open relay; and unknown users of validated domains are refused at RCPT time. */
class RelayControlTest {

    private static final String UNTRUSTED = "trustedNetworks=192.0.2.0/24";

    @Test
    void untrustedClientMayOnlySendToRelayDomains() throws Exception {
        try (TestListener listener = TestListener.start(UNTRUSTED + "&relayDomains=dest.test,.sub.test");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<x@dest.test>", "250 2.1.5");
            client.command("RCPT TO:<y@DEST.Test>", "250 2.1.5");
            client.command("RCPT TO:<z@deep.sub.test>", "250 2.1.5");
            client.command("RCPT TO:<z@sub.test>", "554 5.7.1 <z@sub.test>: Relay access denied");
            client.command("RCPT TO:<z@other.test>", "554 5.7.1 <z@other.test>: Relay access denied");
            client.command("RCPT TO:<z@dest.test.evil.test>", "554 5.7.1");
        }
    }

    /** Postfix's allow_untrusted_routing=no: dest.test would pass these on to other.test. */
    @Test
    void untrustedClientsMayNotUseSenderSpecifiedRoutingEvenToRelayDomains(@TempDir Path dir) throws Exception {
        Path map = dir.resolve("relay-recipients");
        Files.writeString(map, "alice@valid.test\n@dest.test\n");
        try (TestListener listener = TestListener.start(UNTRUSTED + "&relayDomains=dest.test,valid.test&recipientMap="
                + map); SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<user%other.test@dest.test>",
                    "554 5.7.1 <user%other.test@dest.test>: Relay access denied");
            client.command("RCPT TO:<\"user@other.test\"@dest.test>",
                    "554 5.7.1 <\"user@other.test\"@dest.test>: Relay access denied");
            client.command("RCPT TO:<other.test!user@dest.test>",
                    "554 5.7.1 <other.test!user@dest.test>: Relay access denied");
            client.command("RCPT TO:<\"user%other.test\"@dest.test>", "554 5.7.1");
            // the recipient map would take it by its user+extension rule
            client.command("RCPT TO:<alice+x%other.test@valid.test>",
                    "554 5.7.1 <alice+x%other.test@valid.test>: Relay access denied");
            client.command("RCPT TO:<alice+x@valid.test>", "250 2.1.5");
            client.command("RCPT TO:<\"user name\"@dest.test>", "250 2.1.5");
            client.command("RCPT TO:<user.name@dest.test>", "250 2.1.5");
        }
    }

    @Test
    void trustedClientsKeepSenderSpecifiedRouting() throws Exception {
        try (TestListener listener = TestListener.start("trustedNetworks=127.0.0.0/8&relayDomains=dest.test");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<user%other.test@dest.test>", "250 2.1.5");
            client.command("RCPT TO:<\"user@other.test\"@dest.test>", "250 2.1.5");
            client.command("RCPT TO:<other.test!user@far-away.test>", "250 2.1.5");
        }
    }

    @Test
    void authenticatedClientsKeepSenderSpecifiedRouting(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice:" + PasswordHash.bcrypt("wonderland") + "\n");
        String plain = Base64.getEncoder().encodeToString("\0alice\0wonderland".getBytes(StandardCharsets.UTF_8));
        try (TestListener listener = TestListener.start(UNTRUSTED + "&relayDomains=dest.test&tls=none&auth=optional"
                + "&authPlaintext=true&authUsers=" + users); SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<user%other.test@dest.test>", "554 5.7.1");
            client.command("RSET", "250 ");
            client.command("AUTH PLAIN " + plain, "235 ");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<user%other.test@dest.test>", "250 2.1.5");
            client.command("RCPT TO:<other.test!user@far-away.test>", "250 2.1.5");
        }
    }

    @Test
    void noRelayDomainsAndNoTrustedNetworksMeansNothingIsAccepted() throws Exception {
        try (TestListener listener = TestListener.start("trustedNetworks=");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<x@anywhere.test>", "554 5.7.1");
            client.command("DATA", "554 5.5.1 Error: no valid recipients");
        }
    }

    @Test
    void trustedClientMayRelayAnywhere() throws Exception {
        try (TestListener listener = TestListener.start("trustedNetworks=127.0.0.0/8");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendMessage("a@src.test", "x\r\n", "someone@far-away.test");
        }
    }

    @Test
    void unknownUsersOfValidatedDomainsGet550(@TempDir Path dir) throws Exception {
        Path map = dir.resolve("relay-recipients");
        Files.writeString(map, "# users\nalice@dest.test\n\n@open.test  # whole domain\n");
        try (TestListener listener = TestListener.start("relayDomains=dest.test,open.test,free.test&recipientMap="
                + map); SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<alice@dest.test>", "250 ");
            client.command("RCPT TO:<Alice@Dest.TEST>", "250 ");
            client.command("RCPT TO:<alice+news@dest.test>", "250 ");
            client.command("RCPT TO:<bob@dest.test>",
                    "550 5.1.1 <bob@dest.test>: Recipient address rejected: User unknown in relay recipient table");
            client.command("RCPT TO:<anyone@open.test>", "250 ");
            // a relay domain with no line in the map has no known users: fails closed, nobody to bounce to
            client.command("RCPT TO:<anyone@free.test>",
                    "550 5.1.1 <anyone@free.test>: Recipient address rejected: User unknown in relay recipient table");
        }
    }

    @Test
    void recipientMapChangesAreTakenWithoutRestart(@TempDir Path dir) throws Exception {
        Path map = dir.resolve("relay-recipients");
        Files.writeString(map, "alice@dest.test\n");
        try (TestListener listener = TestListener.start("relayDomains=dest.test&recipientMap=" + map)) {
            try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
                client.command("MAIL FROM:<a@src.test>", "250 ");
                client.command("RCPT TO:<bob@dest.test>", "550 5.1.1");
            }
            Files.writeString(map, "alice@dest.test\nbob@dest.test\n");
            Files.setLastModifiedTime(map, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
                    client.command("MAIL FROM:<a@src.test>", "250 ");
                    client.command("RCPT TO:<bob@dest.test>", "250 ");
                }
            });
        }
    }
}
