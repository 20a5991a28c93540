package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.dkim.DkimResult.Result;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DKIM signing through the shipped routes: keys made with dkim-keygen, their records published on a DNS server on
 * loopback exactly as it printed them; mail from a trusted network and from an authenticated user is signed (rsa
 * and ed25519), and what the next hop receives verifies with Debian's dkimverify and with our verifier; mail from
 * an untrusted, unauthenticated client is not signed; a message spilled to disk is signed too.
 */
class DkimSigningThroughShippedRoutesTest {

    private static final String TRUSTED = "127.0.0.1";
    private static final String UNTRUSTED = "127.0.0.62";

    @TempDir
    static Path dir;
    private static DnsServer dnsServer;
    private static Dns dns;
    private static Sink next;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        dnsServer = DnsServer.start();
        dns = Dns.create(dnsServer.address(), Duration.ofSeconds(5));
        Path keys = dir.resolve("dkim");
        PublishedKeys.generate(keys, dnsServer, "signed.test", "rsa2026", "rsa");
        PublishedKeys.generate(keys, dnsServer, "signed.test", "ed2026", "ed25519");
        Path users = Files.writeString(dir.resolve("users"), "alice:" + PasswordHash.bcrypt("wonderland") + "\n");
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.trusted-networks", TRUSTED + "/32",
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.dns.server", dnsServer.address(),
                "gateway.submission.enabled", "true",
                "gateway.auth.users", users.toString(),
                "gateway.dkim.keys", keys.toString()));
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
        if (dnsServer != null) {
            dnsServer.close();
        }
    }

    private static String message(String token) {
        return "From: Alice <alice@signed.test>\r\nTo: user@dest.test\r\nSubject: signed by the gateway\r\n"
                + "Date: Fri, 04 Dec 2026 10:00:00 +0000\r\nMessage-ID: <" + token + "@signed.test>\r\n"
                + "X-Test-Token: " + token + "\r\n\r\nHello,\r\n\r\n  a body  with spaces \r\nand lines.\r\n";
    }

    private static void send(SmtpClient client, String message) throws Exception {
        client.startData("alice@signed.test", "user@dest.test");
        client.sendRaw(message);
        client.sendRaw(".\r\n");
        client.expect("250 2.0.0 Ok: queued as ");
    }

    private static void sendFrom(String address, String message) throws Exception {
        try (SmtpClient client = UntrustedClients.from(gateway, address)) {
            send(client, message);
        }
    }

    private static byte[] atNextHop(String token) {
        await().atMost(Duration.ofSeconds(90)).until(() -> next.tokens().contains(token));
        return next.received().stream()
                .filter(r -> new String(r.content(), StandardCharsets.ISO_8859_1).contains("X-Test-Token: " + token))
                .findFirst().orElseThrow().content();
    }

    private static List<DkimResult> ours(byte[] message) throws Exception {
        return new DkimVerifier(dns).verify(new ByteArrayInputStream(message)).toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    /** Both signatures, rsa on top, verify with dkimverify and with ours. */
    private static void assertSignedAndVerified(byte[] received) throws Exception {
        String text = new String(received, StandardCharsets.ISO_8859_1).replace("\r\n\t", " "); // unfolded
        assertThat(text).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=signed.test;"
                + " s=rsa2026;");
        assertThat(text).contains("\r\nDKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=signed.test;"
                + " s=ed2026;");
        assertThat(Dkimverify.verify(received, dnsServer, 0).ok()).as("dkimverify, rsa").isTrue();
        assertThat(Dkimverify.verify(received, dnsServer, 1).ok()).as("dkimverify, ed25519").isTrue();
        assertThat(ours(received)).extracting(DkimResult::result, DkimResult::selector).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Result.PASS, "rsa2026"),
                org.assertj.core.groups.Tuple.tuple(Result.PASS, "ed2026"));
    }

    @Test
    void mailFromATrustedNetworkIsSignedAndVerifiesAtTheNextHop() throws Exception {
        String token = UUID.randomUUID().toString();
        sendFrom(TRUSTED, message(token));

        byte[] received = atNextHop(token);

        assertSignedAndVerified(received);
        assertThat(new String(received, StandardCharsets.ISO_8859_1)).endsWith(message(token));
        // a changed octet in the body or a signed field: dkimverify is not a rubber stamp
        String text = new String(received, StandardCharsets.ISO_8859_1);
        Dkimverify.Verdict body = Dkimverify.verify(text.replace("and lines.", "and lines!")
                .getBytes(StandardCharsets.ISO_8859_1), dnsServer, 0);
        assertThat(body.ok()).isFalse();
        assertThat(body.output()).contains("body hash mismatch");
        Dkimverify.Verdict subject = Dkimverify.verify(text.replace("Subject: signed by", "Subject: signed for")
                .getBytes(StandardCharsets.ISO_8859_1), dnsServer, 1);
        assertThat(subject.ok()).isFalse();
        assertThat(subject.output()).isEqualTo("signature verification failed\n");
    }

    @Test
    void mailOfAnAuthenticatedUserIsSigned() throws Exception {
        String token = UUID.randomUUID().toString();
        try (SmtpClient client = new SmtpClient(InetAddress.getByName(UNTRUSTED), gateway.port("submission"))) {
            client.expect("220 ");
            client.command("EHLO client.test", "250 ");
            client.command("STARTTLS", "220 ");
            client.handshake();
            client.command("EHLO client.test", "250 ");
            client.command("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice\0wonderland"
                    .getBytes(StandardCharsets.UTF_8)), "235 ");
            send(client, message(token));
        }

        assertSignedAndVerified(atNextHop(token));
    }

    @Test
    void mailFromAnUntrustedUnauthenticatedClientIsNotSigned() throws Exception {
        String token = UUID.randomUUID().toString();
        sendFrom(UNTRUSTED, message(token));

        byte[] received = atNextHop(token);

        assertThat(new String(received, StandardCharsets.ISO_8859_1)).doesNotContain("DKIM-Signature")
                .startsWith("Authentication-Results: gw.test;");
    }

    @Test
    void aMessageSpilledToDiskIsSignedToo() throws Exception {
        String token = UUID.randomUUID().toString();
        byte[] line = "0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (SmtpClient client = UntrustedClients.from(gateway, TRUSTED)) {
            client.startData("alice@signed.test", "user@dest.test");
            client.stream((OutputStream out) -> {
                out.write(message(token).getBytes(StandardCharsets.US_ASCII));
                for (int written = 0; written < (3 << 20); written += line.length) { // over the 1 MiB spill threshold
                    out.write(line);
                }
                out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                return null;
            });
            client.readTimeout(Duration.ofMinutes(5)).expect("250 2.0.0 Ok: queued as ");
        }

        byte[] received = atNextHop(token);

        assertThat(received.length).isGreaterThan(3 << 20);
        assertSignedAndVerified(received);
    }
}
