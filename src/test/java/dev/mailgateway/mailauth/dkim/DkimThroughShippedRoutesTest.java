package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.TraceHeader;
import dev.mailgateway.testing.UntrustedClients;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DKIM through the shipped routes, against dkimpy (Debian's python3-dkim), an independent implementation: messages
 * it signs (rsa-sha256, ed25519-sha256) pass at the gateway, one changed octet fails, and what the gateway relays
 * still verifies with dkimpy at the next hop (our fields on top, every other byte as received).
 */
class DkimThroughShippedRoutesTest {

    private static final String CLIENT = "127.0.0.61";

    @TempDir
    static Path dir;
    private static PythonDkim python;
    private static TestKeys.Key rsa;
    private static TestKeys.Key ed25519;
    private static DnsServer dns;
    private static Sink next;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        python = PythonDkim.required();
        rsa = TestKeys.rsa(2048);
        ed25519 = TestKeys.ed25519();
        dns = DnsServer.start();
        for (String domain : List.of("signed.test", "unpolicied.test")) {
            rsa.publish(dns, "rsa", domain);
            ed25519.publish(dns, "ed", domain);
        }
        dns.txt("_dmarc.signed.test", "v=DMARC1; p=reject");
        dns.servfail("flaky._domainkey.unpolicied.test", 100000);
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.dns.server", dns.address()));
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

    private static byte[] message(String domain, String token) {
        return ("From: Alice <alice@" + domain + ">\r\nTo: user@dest.test\r\nSubject: signed\r\n"
                + "Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + token + "@" + domain + ">\r\n"
                + "X-Test-Token: " + token + "\r\n\r\nHello,\r\n\r\n  a body  with spaces \r\nand lines.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sign(byte[] message, String domain, TestKeys.Key key, String selector,
            String canonicalization) throws Exception {
        return python.signed(new PythonDkim.Signing(message, selector, domain, key, canonicalization, null, false,
                null));
    }

    /** MAIL FROM a domain with no SPF record and no relation to the From: only a DKIM pass can align. */
    private static String send(byte[] message) throws Exception {
        try (SmtpClient client = new SmtpClient(InetAddress.getByName(CLIENT), gateway.port())) {
            client.expect("220");
            client.command("EHLO client.test", "250");
            client.command("MAIL FROM:<bounce@mail.unaligned.test>", "250");
            client.command("RCPT TO:<user@dest.test>", "250");
            client.command("DATA", "354");
            client.sendRaw(message);
            client.sendRaw(".\r\n");
            return client.reply();
        }
    }

    private static byte[] atNextHop(String token) {
        await().atMost(Duration.ofSeconds(60)).until(() -> next.tokens().contains(token));
        return next.received().stream()
                .filter(r -> new String(r.content(), StandardCharsets.UTF_8).contains("X-Test-Token: " + token))
                .findFirst().orElseThrow().content();
    }

    /** The first 12 characters of the signature's b=, as Authentication-Results names it (header.b). */
    private static String b(byte[] signed) {
        Matcher m = Pattern.compile("[;\\s]b=([^;]*)").matcher(new String(signed, StandardCharsets.US_ASCII));
        assertThat(m.find()).isTrue();
        return m.group(1).replaceAll("\\s", "").substring(0, 12);
    }

    @Test
    void rsaAndEd25519SignaturesByDkimpyPassAlignWithFromAndStillVerifyAtTheNextHop() throws Exception {
        String token = UUID.randomUUID().toString();
        byte[] once = sign(message("signed.test", token), "signed.test", rsa, "rsa", "relaxed/relaxed");
        byte[] twice = sign(once, "signed.test", ed25519, "ed", "simple/simple");
        assertThat(send(twice)).startsWith("250");
        byte[] relayed = atNextHop(token);
        assertThat(TraceHeader.first(relayed)).isEqualTo("Authentication-Results: gw.test;\r\n"
                + "\tspf=none smtp.mailfrom=mail.unaligned.test;\r\n"
                + "\tdkim=pass header.d=signed.test header.i=@signed.test header.s=ed header.b=" + b(twice) + ";\r\n"
                + "\tdkim=pass header.d=signed.test header.i=@signed.test header.s=rsa header.b=" + b(once) + ";\r\n"
                + "\tdmarc=pass (p=reject dis=none) header.from=signed.test\r\n");
        // dkimpy checks the first signature: ed25519 here; and the rsa one alone, once the ed25519 field is gone
        assertThat(python.verdicts(List.of(relayed), ed25519.record())).containsExactly(true);
        String withoutEd = new String(relayed, StandardCharsets.ISO_8859_1)
                .replaceFirst("(?s)DKIM-Signature: v=1; a=ed25519-sha256.*?\r\n(?=\\S)", "");
        assertThat(python.verdicts(List.of(withoutEd.getBytes(StandardCharsets.ISO_8859_1)), rsa.record()))
                .containsExactly(true);
    }

    @Test
    void oneChangedOctetInTheBodyFailsAndDmarcThenRejects() throws Exception {
        String token = UUID.randomUUID().toString();
        byte[] signed = sign(message("unpolicied.test", token), "unpolicied.test", rsa, "rsa", "relaxed/relaxed");
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        byte[] altered = text.replace("and lines.", "and lines!").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(send(altered)).startsWith("250"); // no DMARC policy for unpolicied.test: recorded only
        assertThat(TraceHeader.first(atNextHop(token))).contains(
                "\tdkim=fail (body hash did not verify) header.d=unpolicied.test header.i=@unpolicied.test header.s=rsa"
                + " header.b=" + b(signed));
        byte[] forged = sign(message("signed.test", "x" + token), "signed.test", rsa, "rsa", "relaxed/relaxed");
        byte[] forgedAltered = new String(forged, StandardCharsets.ISO_8859_1).replace("and lines.", "and lines!")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(send(forgedAltered)).isEqualTo("550 5.7.1 Rejected by DMARC policy for signed.test");
    }

    @Test
    void aMissingKeyIsAPermerrorAndAFailingLookupATemperror() throws Exception {
        String token = UUID.randomUUID().toString();
        byte[] missing = sign(message("unpolicied.test", token), "unpolicied.test", rsa, "missing",
                "relaxed/relaxed");
        byte[] both = sign(missing, "unpolicied.test", rsa, "flaky", "relaxed/relaxed");
        assertThat(send(both)).startsWith("250");
        assertThat(TraceHeader.first(atNextHop(token))).isEqualTo("Authentication-Results: gw.test;\r\n"
                + "\tspf=none smtp.mailfrom=mail.unaligned.test;\r\n"
                + "\tdkim=temperror (key lookup at flaky._domainkey.unpolicied.test: servfail \\(server failed\\))"
                + " header.d=unpolicied.test header.i=@unpolicied.test header.s=flaky header.b="
                + b(both) + ";\r\n"
                + "\tdkim=permerror (no key at missing._domainkey.unpolicied.test) header.d=unpolicied.test header.i=@unpolicied.test header.s=missing header.b="
                + b(missing) + ";\r\n"
                + "\tdmarc=none (no DMARC record at _dmarc.unpolicied.test) header.from=unpolicied.test\r\n");
    }
}
