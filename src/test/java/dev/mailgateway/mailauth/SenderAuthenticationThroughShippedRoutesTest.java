package dev.mailgateway.mailauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.spool.QueueCommand;
import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.TraceHeader;
import dev.mailgateway.testing.UntrustedClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPF and DMARC through the shipped routes, against crafted records on a loopback DNS server: what the next hop
 * sees in Authentication-Results, and the exact reply for what is refused. The client (127.0.0.60) is not trusted.
 */
class SenderAuthenticationThroughShippedRoutesTest {

    private static final String CLIENT = "127.0.0.60";

    @TempDir
    static Path dir;
    private static DnsServer dns;
    private static Sink next;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = DnsServer.start();
        dns.txt("pass.test", "v=spf1 ip4:127.0.0.0/8 -all").txt("_dmarc.pass.test", "v=DMARC1; p=reject")
                .txt("fail.test", "v=spf1 ip4:192.0.2.1 -all")
                .txt("soft.test", "v=spf1 ~all")
                .txt("neutral.test", "v=spf1 ?all")
                .txt("perm.test", "v=spf1 -all").txt("perm.test", "v=spf1 +all") // two records: permerror
                .txt("reject.test", "v=spf1 -all").txt("_dmarc.reject.test", "v=DMARC1; p=reject")
                .txt("quarantine.test", "v=spf1 -all").txt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine")
                .txt("none.test", "v=spf1 -all").txt("_dmarc.none.test", "v=DMARC1; p=none")
                .txt("pct.test", "v=spf1 -all").txt("_dmarc.pct.test", "v=DMARC1; p=quarantine; pct=0")
                .txt("_dmarc.org.test", "v=DMARC1; p=none; sp=reject").txt("sub.org.test", "v=spf1 -all")
                .txt("_dmarc.relaxed.test", "v=DMARC1; p=reject")
                .txt("mail.relaxed.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.strict.test", "v=DMARC1; p=reject; aspf=s")
                .txt("mail.strict.test", "v=spf1 ip4:127.0.0.0/8 -all")
                .servfail("temp.test", 100000)
                .txt("dmarctemp.test", "v=spf1 ip4:127.0.0.0/8 -all").servfail("_dmarc.dmarctemp.test", 100000);
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.dns.server", dns.address(),
                "gateway.dns.timeout", "1s"));
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

    /** Sends a message, returns the final reply (250 with the queue id, or the refusal). */
    private static String send(String mailFrom, String from, String token) throws Exception {
        try (SmtpClient client = new SmtpClient(InetAddress.getByName(CLIENT), gateway.port())) {
            client.expect("220");
            client.command("EHLO client.test", "250");
            client.command("MAIL FROM:<" + mailFrom + ">", "250");
            client.command("RCPT TO:<user@dest.test>", "250");
            client.command("DATA", "354");
            client.sendRaw("From: " + from + "\r\nSubject: auth\r\nX-Test-Token: " + token + "\r\n\r\nhello\r\n.\r\n");
            return client.reply();
        }
    }

    /** The first header field the next hop received for the message with this token: ours. */
    private static String resultsAtNextHop(String token) {
        await().atMost(Duration.ofSeconds(60)).until(() -> next.tokens().contains(token));
        Sink.Received received = next.received().stream()
                .filter(r -> new String(r.content(), StandardCharsets.UTF_8).contains("X-Test-Token: " + token))
                .findFirst().orElseThrow();
        return TraceHeader.first(received.content());
    }

    private static String results(String... methods) {
        return "Authentication-Results: gw.test;\r\n\t" + String.join(";\r\n\t", methods) + "\r\n";
    }

    private static String token() {
        return UUID.randomUUID().toString();
    }

    @Test
    void anSpfPassAlignedWithFromPassesDmarc() throws Exception {
        String token = token();
        assertThat(send("alice@pass.test", "Alice <alice@pass.test>", token)).startsWith("250");
        assertThat(resultsAtNextHop(token)).isEqualTo(results("spf=pass smtp.mailfrom=pass.test", "dkim=none",
                "dmarc=pass (p=reject dis=none) header.from=pass.test"));
    }

    @Test
    void spfFailSoftfailAndNeutralAreRecordedWithoutADmarcPolicy() throws Exception {
        for (String domain : List.of("fail", "soft", "neutral")) {
            String token = token();
            assertThat(send("bob@" + domain + ".test", "bob@" + domain + ".test", token)).startsWith("250");
            String result = Map.of("fail", "fail", "soft", "softfail", "neutral", "neutral").get(domain);
            assertThat(resultsAtNextHop(token)).isEqualTo(results("spf=" + result + " smtp.mailfrom=" + domain
                    + ".test", "dkim=none", "dmarc=none (no DMARC record at _dmarc." + domain + ".test) header.from=" + domain
                    + ".test"));
        }
    }

    @Test
    void aDomainWithTwoSpfRecordsIsAPermerror() throws Exception {
        String token = token();
        assertThat(send("bob@perm.test", "bob@perm.test", token)).startsWith("250");
        assertThat(resultsAtNextHop(token)).isEqualTo(results(
                "spf=permerror (perm.test has 2 SPF records) smtp.mailfrom=perm.test", "dkim=none",
                "dmarc=none (no DMARC record at _dmarc.perm.test) header.from=perm.test"));
    }

    @Test
    void aDnsFailureIsATemperrorAndTheMailIsAccepted() throws Exception {
        String token = token();
        assertThat(send("bob@temp.test", "bob@temp.test", token)).startsWith("250");
        assertThat(resultsAtNextHop(token)).isEqualTo(results(
                "spf=temperror (DNS SERVFAIL for TXT temp.test \\(server failed\\)) smtp.mailfrom=temp.test",
                "dkim=none", "dmarc=none (no DMARC record at _dmarc.temp.test) header.from=temp.test"));
    }

    @Test
    void aDnsFailureFindingTheDmarcPolicyIsATemperrorNeverARefusal() throws Exception {
        String token = token();
        assertThat(send("x@dmarctemp.test", "x@dmarctemp.test", token)).startsWith("250");
        assertThat(resultsAtNextHop(token)).isEqualTo(results("spf=pass smtp.mailfrom=dmarctemp.test", "dkim=none",
                "dmarc=temperror (DNS failure at _dmarc.dmarctemp.test: SERVFAIL \\(server failed\\))"
                        + " header.from=dmarctemp.test"));
    }

    @Test
    void dmarcRejectIsRefusedAtTheEndOfData() throws Exception {
        assertThat(send("mallory@reject.test", "ceo@reject.test", token()))
                .isEqualTo("550 5.7.1 Rejected by DMARC policy for reject.test");
    }

    @Test
    void dmarcNoneIsDeliveredWithTheFailureRecorded() throws Exception {
        String token = token();
        assertThat(send("x@none.test", "x@none.test", token)).startsWith("250");
        assertThat(resultsAtNextHop(token)).isEqualTo(results("spf=fail smtp.mailfrom=none.test", "dkim=none",
                "dmarc=fail (p=none dis=none) header.from=none.test"));
    }

    @Test
    void pctZeroNeverAppliesTheQuarantine() throws Exception {
        String token = token();
        assertThat(send("x@pct.test", "x@pct.test", token)).startsWith("250");
        assertThat(resultsAtNextHop(token)).isEqualTo(results("spf=fail smtp.mailfrom=pct.test", "dkim=none",
                "dmarc=fail (p=quarantine dis=none) header.from=pct.test"));
    }

    @Test
    void aSubdomainGetsTheSubdomainPolicy() throws Exception {
        assertThat(send("x@sub.org.test", "x@sub.org.test", token()))
                .isEqualTo("550 5.7.1 Rejected by DMARC policy for sub.org.test");
    }

    @Test
    void relaxedAlignmentAcceptsASubdomainStrictDoesNot() throws Exception {
        String token = token();
        assertThat(send("bounce@mail.relaxed.test", "news@relaxed.test", token)).startsWith("250");
        assertThat(resultsAtNextHop(token)).isEqualTo(results("spf=pass smtp.mailfrom=mail.relaxed.test",
                "dkim=none", "dmarc=pass (p=reject dis=none) header.from=relaxed.test"));
        assertThat(send("bounce@mail.strict.test", "news@strict.test", token()))
                .isEqualTo("550 5.7.1 Rejected by DMARC policy for strict.test");
    }

    @Test
    void aFromWithTwoDomainsIsJudgedByTheStrictestPolicyOfThem() throws Exception {
        // a second author of a domain without a policy is no way around the first one's p=reject
        assertThat(send("alice@pass.test", "someone@fail.test, ceo@reject.test", token()))
                .isEqualTo("550 5.7.1 Rejected by DMARC policy for reject.test");
    }

    @Test
    void aMessageWithoutAFromAddressIsRefused() throws Exception {
        assertThat(send("alice@pass.test", "undisclosed-sender:;", token()))
                .isEqualTo("550 5.7.1 Message rejected: no valid From address (RFC 5322)");
    }

    @Test
    void quarantinedMailWaitsUntilReleasedAndIsThenDelivered() throws Exception {
        String token = token();
        String reply = send("x@quarantine.test", "x@quarantine.test", token);
        assertThat(reply).startsWith("250");
        String queueId = Archive.queueId(reply);
        System.setProperty("gateway.data-dir", dir.resolve("gateway").toString());
        try {
            assertThat(queue("list")).contains(queueId).contains("quarantine");
            assertThat(next.tokens()).doesNotContain(token);
            assertThat(queue("release", queueId)).contains("release done (1)");
        } finally {
            System.clearProperty("gateway.data-dir");
        }
        assertThat(resultsAtNextHop(token)).isEqualTo(results("spf=fail smtp.mailfrom=quarantine.test",
                "dkim=none", "dmarc=fail (p=quarantine dis=quarantine) header.from=quarantine.test"));
    }

    private static String queue(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        QueueCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
