package dev.mailgateway.filter;

import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.GTUBE;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.atNextHop;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.queue;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.send;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.spamLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.RspamdServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SpamdServer;
import dev.mailgateway.testing.Tarpit;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
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
 * Rspamd and SpamAssassin, the real daemons from Debian started on loopback, asked by the shipped inbound route:
 * GTUBE refused at SMTP time with each engine's finding in the reply, a plain message passing with
 * {@code X-Spam-Status: No}, a message over the tag score tagged with the engine's rules, quarantine and release,
 * and what happens when an engine is killed, hangs, or is not there: accepted as Unknown, or 451 with tempfail.
 */
class EnginesThroughShippedRoutesTest {

    private static final String CLIENT = "127.0.0.63";

    @TempDir
    static Path dir;
    private static Sink next;

    @BeforeAll
    static void start() throws Exception {
        next = Sink.start("tls=none");
    }

    @AfterAll
    static void stop() {
        if (next != null) {
            next.close();
        }
    }

    private static TestGateway gateway(String name, String... pairs) throws Exception {
        Map<String, String> config = UntrustedClients.config(dir,
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.dmarc.enforce", "false",
                "gateway.spam.engine-timeout", "20s");
        for (int i = 0; i < pairs.length; i += 2) {
            config.put(pairs[i], pairs[i + 1]);
        }
        return TestGateway.start(dir.resolve(name), config);
    }

    private static String token() {
        return UUID.randomUUID().toString();
    }

    /** A plain, well-formed message, as a mail client writes it. */
    private static String ham(String token) {
        return "Date: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now())
                + "\r\nFrom: Alice Example <alice@src.test>\r\n"
                + "To: Bob <user@dest.test>\r\nSubject: Minutes of Thursday's meeting\r\nMessage-ID: <" + token
                + "@src.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nX-Test-Token: "
                + token + "\r\n\r\nHi Bob,\r\n\r\nattached are the minutes of Thursday's meeting. The next one is on"
                + " the 11th at 10:00 in the usual room.\r\n\r\nBest regards,\r\nAlice\r\n";
    }

    /** Missing Date and Message-ID: every engine scores that (SpamAssassin 2.3 with ALL_TRUSTED), our rules do not. */
    private static String sloppy(String token) {
        return "From: alice@src.test\r\nTo: user@dest.test\r\nSubject: hi\r\nX-Test-Token: " + token
                + "\r\n\r\nhi\r\n";
    }

    @Test
    void rspamdRefusesGtubeInItsOwnWordsTagsAndQuarantines() throws Exception {
        RspamdServer rspamd = RspamdServer.shared();
        try (TestGateway gateway = gateway("rspamd", "gateway.spam.rspamd.url", rspamd.url(),
                "gateway.spam.tag-score", "2", "gateway.spam.quarantine-score", "2000")) {
            assertThat(send(gateway, CLIENT, ham(token()).replace("Hi Bob,", GTUBE)))
                    .startsWith("550 5.7.1 Message rejected as spam: ").containsIgnoringCase("gtube");

            String ham = token();
            assertThat(send(gateway, CLIENT, ham(ham))).startsWith("250");
            assertThat(spamLines(atNextHop(next, ham))).contains("X-Spam-Status: No, ").contains("RSPAMD");

            String sloppy = token();
            assertThat(send(gateway, CLIENT, sloppy(sloppy))).startsWith("250");
            assertThat(spamLines(atNextHop(next, sloppy))).startsWith("X-Spam-Flag: YES\r\n")
                    .contains("X-Spam-Status: Yes, ").contains("RSPAMD").contains("MISSING_MID");
        }
    }

    @Test
    void spamassassinRefusesGtubeAndTagsWithItsRules() throws Exception {
        SpamdServer spamd = SpamdServer.shared();
        try (TestGateway gateway = gateway("spamd", "gateway.spam.spamd.address", spamd.address(),
                "gateway.spam.tag-score", "1")) {
            assertThat(send(gateway, CLIENT, ham(token()).replace("Hi Bob,", GTUBE)))
                    .startsWith("550 5.7.1 Message rejected as spam (").contains("SPAMASSASSIN");

            String ham = token();
            assertThat(send(gateway, CLIENT, ham(ham))).startsWith("250");
            assertThat(spamLines(atNextHop(next, ham))).contains("X-Spam-Status: No, ").contains("SPAMASSASSIN");

            String sloppy = token();
            assertThat(send(gateway, CLIENT, sloppy(sloppy))).startsWith("250");
            assertThat(spamLines(atNextHop(next, sloppy))).startsWith("X-Spam-Flag: YES\r\n")
                    .contains("SPAMASSASSIN").contains("MISSING_DATE");
        }
    }

    @Test
    void quarantinedByAnEngineScoreThenReleasedIsDelivered() throws Exception {
        SpamdServer spamd = SpamdServer.shared();
        try (TestGateway gateway = gateway("quarantine", "gateway.spam.spamd.address", spamd.address(),
                "gateway.spam.quarantine-score", "1", "gateway.spam.tag-score", "1")) {
            String token = token();
            String reply = send(gateway, CLIENT, sloppy(token));
            assertThat(reply).startsWith("250");
            String queueId = Archive.queueId(reply);
            System.setProperty("gateway.data-dir", dir.resolve("quarantine").toString());
            try {
                assertThat(queue("list")).contains(queueId).contains("quarantine");
                assertThat(next.tokens()).doesNotContain(token);
                assertThat(queue("release", queueId)).contains("release done (1)");
            } finally {
                System.clearProperty("gateway.data-dir");
            }
            assertThat(spamLines(atNextHop(next, token))).startsWith("X-Spam-Flag: YES\r\n");
        }
    }

    @Test
    void anEngineKilledMidRunMeansUnknownThenScansAgainWhenBack() throws Exception {
        RspamdServer rspamd = RspamdServer.shared();
        try (TestGateway gateway = gateway("killed", "gateway.spam.rspamd.url", rspamd.url())) {
            rspamd.kill();
            try {
                String token = token();
                assertThat(send(gateway, CLIENT, ham(token))).startsWith("250");
                assertThat(spamLines(atNextHop(next, token))).contains("X-Spam-Status: Unknown, ")
                        .contains("RSPAMD_FAILED");
                // GTUBE is still refused: our own rule does not need the engine
                assertThat(send(gateway, CLIENT, ham(token()).replace("Hi Bob,", GTUBE)))
                        .isEqualTo("550 5.7.1 Message rejected as spam (GTUBE)");
            } finally {
                rspamd.restart();
            }
            String token = token();
            assertThat(send(gateway, CLIENT, ham(token))).startsWith("250");
            assertThat(spamLines(atNextHop(next, token))).contains("X-Spam-Status: No, ");
        }
    }

    @Test
    void withTempfailAnEngineThatHangsOrIsAbsentMeans451AndTheClientKeepsTheMessage() throws Exception {
        try (Tarpit hangs = Tarpit.start(Duration.ofHours(1));
                TestGateway gateway = gateway("tempfail",
                        "gateway.spam.rspamd.url", "http://127.0.0.1:" + hangs.port(),
                        "gateway.spam.spamd.address", "127.0.0.1:1",
                        "gateway.spam.engine-timeout", "1s",
                        "gateway.spam.on-engine-failure", "tempfail")) {
            assertThat(send(gateway, CLIENT, ham(token())))
                    .isEqualTo("451 4.7.1 Content scanner unavailable, try again later");
        }
    }

    @Test
    void anEngineThatClosesMidReplyIsAFailureNotAHang() throws Exception {
        try (java.net.ServerSocket half = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                while (!half.isClosed()) {
                    try (java.net.Socket socket = half.accept()) {
                        socket.getInputStream().read(new byte[8192]);
                        socket.getOutputStream().write("SPAMD/1.1 0 EX_OK\r\nContent-length: 9".getBytes());
                    } catch (java.io.IOException e) {
                        // closed
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            try (TestGateway gateway = gateway("half", "gateway.spam.spamd.address", "127.0.0.1:" + half.getLocalPort(),
                    "gateway.spam.engine-timeout", "5s")) {
                String token = token();
                assertThat(send(gateway, CLIENT, ham(token))).startsWith("250");
                assertThat(spamLines(atNextHop(next, token))).contains("X-Spam-Status: Unknown, ")
                        .contains("SPAMASSASSIN_FAILED");
            }
        }
    }
}
