package dev.mailgateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped policy route (routes/policy.yaml) with DNS lists switched on by keys only, against a real DNS server
 * on loopback. Clients connect from different loopback addresses (all of 127/8 is this machine), none of them
 * trusted here, each listed (or not) in its own way.
 */
class DnsListsThroughShippedPolicyTest {

    @TempDir
    static Path dir;
    private static DnsServer dns;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = DnsServer.start();
        dns.a("10.0.0.127.bl.test", "127.0.0.2")                 // listed
                .a("11.0.0.127.bl.test", "127.0.0.3")            // listed ...
                .a("11.0.0.127.wl.test", "127.0.10.2")           // ... and allowlisted
                .a("12.0.0.127.bl.test", "127.255.255.254")      // the list operator's "query refused"
                .a("16.0.0.127.bl.test", "127.0.0.200")          // an answer outside the pattern
                .a("spammer.test.dbl.test", "127.0.1.2")         // a sender domain on the domain list
                .servfail("15.0.0.127.bl.test", 1000)
                .drop("13.0.0.127.bl.test");                     // never answered: the lookup times out
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.dns.server", dns.address(), "gateway.dns.timeout", "1s",
                "gateway.policy.dnsbl", "bl.test=127.0.0.[2..11]*2,wl.test=127.0.[0..255].[1..3]*-2",
                "gateway.policy.rhsbl", "dbl.test=127.0.1.[2..99]"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static SmtpClient from(String address) throws Exception {
        return UntrustedClients.from(gateway, address);
    }

    @Test
    void aListedClientIsRefusedAtRcptWithTheListNamedAndTheLogShowsTheEnvelope() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd"); SmtpClient client = from("127.0.0.10")) {
            client.command("MAIL FROM:<someone@sender.test>", "250"); // refused at RCPT, not before
            assertThat(client.command("RCPT TO:<user@dest.test>", "554"))
                    .isEqualTo("554 5.7.1 Service unavailable; client [127.0.0.10] blocked using bl.test");
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("NOQUEUE: reject: RCPT")
                    .contains("from=<someone@sender.test>").contains("to=<user@dest.test>"));
        }
    }

    @Test
    void aListedClientStillReachesPostmasterAndAbuse() throws Exception {
        try (SmtpClient client = from("127.0.0.10")) {
            client.command("MAIL FROM:<someone@sender.test>", "250");
            client.command("RCPT TO:<postmaster@dest.test>", "250");
            client.command("RCPT TO:<abuse@dest.test>", "250");
            client.command("RCPT TO:<user@dest.test>", "554");
            client.command("DATA", "354");
            client.sendRaw("From: someone@sender.test\r\nSubject: please delist me\r\n\r\nhello\r\n.\r\n");
            client.expect("250");
        }
    }

    @Test
    void anAllowlistedClientPassesAListItIsAlsoOn() throws Exception {
        try (SmtpClient client = from("127.0.0.11")) {
            assertThat(client.sendMessage("someone@sender.test", "From: someone@sender.test\r\nSubject: hi\r\n\r\nhello\r\n", "user@dest.test"))
                    .startsWith("250");
        }
    }

    @Test
    void anErrorAnswerFromTheListOperatorIsNotAListing() throws Exception {
        try (SmtpClient client = from("127.0.0.12")) {
            client.command("MAIL FROM:<someone@sender.test>", "250");
            client.command("RCPT TO:<user@dest.test>", "250");
        }
    }

    @Test
    void anAnswerOutsideTheListsPatternDoesNotCount() throws Exception {
        try (SmtpClient client = from("127.0.0.16")) {
            client.command("MAIL FROM:<someone@sender.test>", "250");
            client.command("RCPT TO:<user@dest.test>", "250");
        }
    }

    @Test
    void aListThatTimesOutOrFailsRefusesNobody() throws Exception {
        for (String address : new String[] {"127.0.0.13", "127.0.0.15"}) {
            try (SmtpClient client = from(address)) {
                client.command("MAIL FROM:<someone@sender.test>", "250");
                client.command("RCPT TO:<user@dest.test>", "250");
            }
        }
    }

    @Test
    void anUnlistedClientsMailIsAccepted() throws Exception {
        try (SmtpClient client = from("127.0.0.14")) {
            assertThat(client.sendMessage("someone@sender.test", "From: someone@sender.test\r\nSubject: hi\r\n\r\nhello\r\n", "user@dest.test"))
                    .startsWith("250");
        }
    }

    @Test
    void aSenderDomainOnADomainListIsRefusedAtRcpt() throws Exception {
        try (SmtpClient client = from("127.0.0.14")) {
            client.command("MAIL FROM:<bulk@spammer.test>", "250");
            assertThat(client.command("RCPT TO:<user@dest.test>", "554"))
                    .isEqualTo("554 5.7.1 <bulk@spammer.test>: Sender address rejected: blocked using dbl.test");
            client.command("RCPT TO:<postmaster@dest.test>", "250");
        }
    }
}
