package dev.mailgateway.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gateway.privacy.strip-received=true with the shipped routes as they are (routes/rules.yaml): mail submitted on
 * port 587 leaves without the Received lines of our network and without the client's name and address in ours;
 * mail on port 25 keeps its trace.
 */
class PrivacyThroughShippedRoutesTest {

    private static final String INNER = "Received: from laptop.internal (laptop.internal [10.0.0.7])\r\n"
            + "\tby mailhub.internal with ESMTP id 4711; Fri, 04 Dec 2026 09:59:58 +0000\r\n"
            + "Received: from [10.0.0.7] by laptop.internal; Fri, 04 Dec 2026 09:59:57 +0000\r\n"
            + "X-Originating-IP: [10.0.0.7]\r\n";

    @TempDir
    static Path dir;
    private static Sink next;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "carol:" + PasswordHash.bcrypt("n0t-guessable") + "\n");
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), Map.of(
                "gateway.privacy.strip-received", "true",
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.submission.enabled", "true",
                "gateway.auth.users", users.toString(),
                "gateway.events.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (next != null) {
            next.close();
        }
    }

    private static String message(String token) {
        return INNER + "From: carol@src.test\r\nTo: user@dest.test\r\nSubject: privacy\r\nX-Test-Token: " + token
                + "\r\n\r\nHello.\r\n";
    }

    private static String atNextHop(String token) {
        await().atMost(Duration.ofSeconds(90)).until(() -> next.tokens().contains(token));
        return next.received().stream().map(r -> new String(r.content(), StandardCharsets.ISO_8859_1))
                .filter(m -> m.contains("X-Test-Token: " + token + "\r\n")).findFirst().orElseThrow();
    }

    @Test
    void submittedMailLeavesWithoutOurNetworksTraceOrTheClientsAddress() throws Exception {
        try (SmtpClient client = new SmtpClient(gateway.port("submission"))) {
            client.expect("220 ");
            client.command("EHLO laptop.internal", "250 ");
            client.command("STARTTLS", "220 ");
            client.handshake();
            client.command("EHLO laptop.internal", "250 ");
            client.command("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0carol\0n0t-guessable"
                    .getBytes(StandardCharsets.UTF_8)), "235 ");
            client.startData("carol@src.test", "user@dest.test");
            client.sendRaw(message("submitted"));
            client.sendRaw(".\r\n");
            client.expect("250 2.0.0 Ok: queued as ");
        }

        String received = atNextHop("submitted");
        String ours = received.substring(received.indexOf("Received: "), received.indexOf("From: carol@src.test"));
        assertThat(ours).as("our line, by us, without the client").startsWith("Received: by gw.test with ESMTPSA id ")
                .doesNotContain("laptop.internal").doesNotContain("127.0.0.1").doesNotContain("10.0.0.7");
        assertThat(received).doesNotContain("mailhub.internal").doesNotContain("X-Originating-IP");
        assertThat(received).endsWith("From: carol@src.test\r\nTo: user@dest.test\r\nSubject: privacy\r\n"
                + "X-Test-Token: submitted\r\n\r\nHello.\r\n");
    }

    @Test
    void mailOnPortTwentyFiveKeepsItsTrace() throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.sendMessage("carol@src.test", message("relayed"), "user@dest.test");
        }

        String received = atNextHop("relayed");
        assertThat(received).contains("Received: from ").contains(message("relayed"));
    }
}
