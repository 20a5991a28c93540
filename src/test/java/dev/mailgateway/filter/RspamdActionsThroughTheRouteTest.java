package dev.mailgateway.filter;

import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.atNextHop;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.message;
import static dev.mailgateway.filter.ContentFilteringThroughShippedRoutesTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each Rspamd action the shipped route maps onto a verdict, with Rspamd's replies played by a small HTTP server
 * (the real Rspamd proposes these only for scores a test cannot produce on purpose): soft reject is 451 with its
 * words, rewrite subject gets its subject, add header tags, and the milter header edits are applied.
 */
class RspamdActionsThroughTheRouteTest {

    private static final String CLIENT = "127.0.0.64";

    @TempDir
    static Path dir;
    private static Sink next;
    private static TestGateway gateway;
    private static HttpServer rspamd;
    private static final AtomicReference<String> reply = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        rspamd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        rspamd.createContext("/checkv2", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = reply.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        rspamd.start();
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.dmarc.enforce", "false",
                "gateway.spam.rspamd.url", "http://127.0.0.1:" + rspamd.getAddress().getPort()));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (next != null) {
            next.close();
        }
        if (rspamd != null) {
            rspamd.stop(0);
        }
    }

    private static String rspamdSays(String action, double score, String extra) {
        return "{\"action\":\"" + action + "\",\"score\":" + score + ",\"required_score\":15,\"symbols\":{"
                + "\"BAYES_SPAM\":{\"name\":\"BAYES_SPAM\",\"score\":" + score + "}}" + extra + "}";
    }

    @Test
    void softRejectIsATemporaryRefusalInRspamdsWords() throws Exception {
        reply.set(rspamdSays("soft reject", 9, ",\"messages\":{\"smtp_message\":\"Try again later, please\"}"));
        assertThat(send(gateway, CLIENT, message(UUID.randomUUID().toString(), "x", "x")))
                .isEqualTo("451 4.7.1 Try again later, please");
    }

    @Test
    void rejectByRspamdIsRefusedWithItsMessageWhateverTheScore() throws Exception {
        reply.set(rspamdSays("reject", 2, ",\"messages\":{\"smtp_message\":\"Spam message rejected\"}"));
        assertThat(send(gateway, CLIENT, message(UUID.randomUUID().toString(), "x", "x")))
                .isEqualTo("550 5.7.1 Message rejected as spam: Spam message rejected");
    }

    @Test
    void rewriteSubjectTagsAndAppliesRspamdsSubjectAndHeaderEdits() throws Exception {
        String token = UUID.randomUUID().toString();
        reply.set(rspamdSays("rewrite subject", 4, ",\"subject\":\"*** SPAM *** Cheap wätches\",\"milter\":{"
                + "\"add_headers\":{\"X-Rspamd-Server\":\"scanner1\",\"X-Spamd-Bar\":{\"value\":\"++++\",\"order\":0}},"
                + "\"remove_headers\":{\"X-Old-Scanner\":1}}"));
        assertThat(send(gateway, CLIENT, "X-Old-Scanner: clean\r\n" + message(token, "Cheap wätches", "x")))
                .startsWith("250");
        String received = atNextHop(next, token);
        assertThat(received).contains("\r\nSubject: =?ISO-8859-1?Q?***_SPAM_***_Cheap_w=E4tches?=\r\n")
                .contains("X-Spam-Flag: YES\r\n").contains("\r\nX-Rspamd-Server: scanner1\r\n")
                .contains("\r\nX-Spamd-Bar: ++++\r\n").doesNotContain("X-Old-Scanner")
                .contains("X-Spam-Status: Yes, score=4 required=6 tests=SPF_NONE,RSPAMD,BAYES_SPAM");
    }

    @Test
    void addHeaderTagsBelowTheTagScore() throws Exception {
        String token = UUID.randomUUID().toString();
        reply.set(rspamdSays("add header", 3, ""));
        assertThat(send(gateway, CLIENT, message(token, "offer", "x"))).startsWith("250");
        assertThat(atNextHop(next, token)).contains("X-Spam-Flag: YES\r\n").contains("X-Spam-Status: Yes, score=3 ")
                .contains("\r\nSubject: offer\r\n");
    }

    @Test
    void garbageFromTheEngineIsAcceptedAsUnknown() throws Exception {
        String token = UUID.randomUUID().toString();
        reply.set("<html>502 Bad Gateway</html>");
        assertThat(send(gateway, CLIENT, message(token, "x", "x"))).startsWith("250");
        assertThat(atNextHop(next, token)).contains("X-Spam-Status: Unknown, score=0 required=6 tests=SPF_NONE,"
                + "RSPAMD_FAILED");
    }
}
