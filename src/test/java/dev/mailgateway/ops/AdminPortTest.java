package dev.mailgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.RedisServer;
import dev.mailgateway.testing.RspamdServer;
import dev.mailgateway.testing.SpamdServer;
import dev.mailgateway.testing.Tarpit;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestBroker;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin port of a whole gateway (shipped routes and configuration): /metrics as a Prometheus scraper reads it,
 * counters moving by exactly what was sent, accepted, refused and relayed; /health/ready following the broker,
 * and asking Redis and the engines for an answer, not just a connection; the bearer token.
 */
class AdminPortTest {

    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void countersMoveByWhatWasAcceptedRefusedAndRelayed() throws Exception {
        try (DnsServer dns = DnsServer.start(); Sink next = Sink.start("tls=none");
                TestGateway gateway = TestGateway.start(dir.resolve("gw"), UntrustedClients.config(dir,
                        "gateway.relay.enabled", "true", "gateway.transport-map", "dest.test=" + next.address(),
                        "gateway.dns.server", dns.address(), "gateway.dns.timeout", "1s"))) {
            String before = get(gateway, "/metrics", null).body();

            try (SmtpClient client = UntrustedClients.from(gateway, "127.0.0.71")) {
                client.sendMessage("a@src.test", "From: a@src.test\r\nSubject: one\r\n\r\nfirst\r\n", "r1@dest.test");
                client.sendMessage("a@src.test", "From: a@src.test\r\nSubject: two\r\n\r\nsecond, a little longer\r\n", "r2@dest.test",
                        "r3@dest.test");
                client.command("MAIL FROM:<a@src.test>", "250");
                client.command("RCPT TO:<someone@elsewhere.test>", "554 5.7.1");
                client.command("RCPT TO:<r4@dest.test>", "250");
                client.command("DATA", "354");
                client.sendRaw("From: a@src.test\r\nSubject: spam\r\n\r\n" + GTUBE + "\r\n.\r\n");
                client.expect("550 5.7.1");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> next.received().size() == 2);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    delta(before, get(gateway, "/metrics", null).body(),
                            "relay_recipients_total{dsn_class=\"2.0\",status=\"delivered\"}")).isEqualTo(3));
            String after = get(gateway, "/metrics", null).body();

            assertThat(delta(before, after,
                    "smtpd_messages_total{listener=\"mx\",outcome=\"accepted\",tls=\"false\"}")).isEqualTo(2);
            assertThat(delta(before, after,
                    "smtpd_messages_total{listener=\"mx\",outcome=\"refused\",tls=\"false\"}")).isEqualTo(1);
            assertThat(delta(before, after,
                    "smtpd_replies_total{class=\"5xx\",listener=\"mx\",reason=\"relay-denied\"}")).isEqualTo(1);
            assertThat(delta(before, after,
                    "smtpd_replies_total{class=\"5xx\",listener=\"mx\",reason=\"spam\"}")).isEqualTo(1);
            assertThat(delta(before, after, "smtpd_sessions_total{listener=\"mx\"}")).isEqualTo(1);
            assertThat(delta(before, after, "smtpd_accept_latency_seconds_count{listener=\"mx\"}")).isEqualTo(3);
            assertThat(delta(before, after, "smtpd_accepted_bytes_total{listener=\"mx\"}"))
                    .as("both accepted messages, as spooled (with our Received line)").isGreaterThan(80);
            assertThat(delta(before, after, "relay_connections_total{tls=\"false\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(after, "spool_queue_messages{queue=\"mail.relay\"}")).isZero();
            assertThat(value(after, "spool_queue_messages{queue=\"mail.quarantine\"}")).isZero();
            assertThat(after).contains("jvm_memory_used_bytes{", "relay_delivery_delay_seconds_bucket{");
        }
    }

    @Test
    void readyFollowsTheBrokerAndLiveDoesNot() throws Exception {
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"))) {
            Map<String, String> config = new HashMap<>(broker.credentials());
            config.put("gateway.broker.url", broker.url());
            config.put("gateway.relay.enabled", "false");
            try (TestGateway gateway = TestGateway.start(dir.resolve("gw"), config)) {
                HttpResponse<String> ready = get(gateway, "/health/ready", null);
                assertThat(ready.statusCode()).isEqualTo(200);
                JsonNode checks = new ObjectMapper().readTree(ready.body()).get("checks");
                assertThat(checks.get("listeners").get("status").asText()).isEqualTo("UP");
                assertThat(checks.get("listeners").get("detail").asText()).contains("mx ");
                assertThat(checks.get("broker").get("status").asText()).isEqualTo("UP");

                broker.stop();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> get(gateway, "/health/ready", null).statusCode() == 503);
                JsonNode down = new ObjectMapper().readTree(get(gateway, "/health/ready", null).body());
                assertThat(down.get("status").asText()).isEqualTo("DOWN");
                assertThat(down.get("checks").get("broker").get("status").asText()).isEqualTo("DOWN");
                assertThat(get(gateway, "/health/live", null).statusCode()).isEqualTo(200);

                broker.start();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> get(gateway, "/health/ready", null).statusCode() == 200);
            }
        }
    }

    @Test
    void queueDepthsOfAnExternalBrokerComeFromItsStatistics() throws Exception {
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"))) {
            Map<String, String> config = new HashMap<>(broker.credentials());
            config.put("gateway.broker.url", broker.url());
            config.put("gateway.relay.enabled", "false"); // accepted mail stays on mail.relay
            try (TestGateway gateway = TestGateway.start(dir.resolve("gw"), config)) {
                // before any mail: empty queues read 0 (the broker answered), not NaN (no answer)
                await().atMost(Duration.ofSeconds(60)).until(() -> value(get(gateway, "/metrics", null).body(),
                        "spool_queue_messages{queue=\"mail.relay\"}") == 0);
                try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                    client.sendMessage("a@src.test", "Subject: one\r\n\r\nfirst\r\n", "r1@dest.test");
                    client.sendMessage("a@src.test", "Subject: two\r\n\r\nsecond\r\n", "r2@dest.test");
                }
                // asked in the background at most every 5 s: the first scrapes may still say NaN or 0
                await().atMost(Duration.ofSeconds(60)).until(() -> value(get(gateway, "/metrics", null).body(),
                        "spool_queue_messages{queue=\"mail.relay\"}") == 2);
                String metrics = get(gateway, "/metrics", null).body();
                assertThat(value(metrics, "spool_queue_messages{queue=\"mail.quarantine\"}")).isZero();
                assertThat(value(metrics, "spool_queue_messages{queue=\"DLQ.mail.relay\"}")).isZero();
            }
        }
    }

    @Test
    void readyAsksRedisAndTheEnginesForAnAnswerNotOnlyForAConnection() throws Exception {
        RspamdServer rspamd = RspamdServer.shared();
        SpamdServer spamd = SpamdServer.shared();
        try (RedisServer redis = RedisServer.runningWithPassword("r3dis-secret");
                TestGateway gateway = TestGateway.start(dir.resolve("gw"), Map.of("gateway.relay.enabled", "false",
                        "gateway.state.redis", redis.uri(), "gateway.spam.rspamd.url", rspamd.url(),
                        "gateway.spam.spamd.address", spamd.address()))) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> get(gateway, "/health/ready", null).statusCode() == 200);
            JsonNode checks = new ObjectMapper().readTree(get(gateway, "/health/ready", null).body()).get("checks");
            assertThat(checks.get("redis").get("detail").asText()).endsWith("answers PONG")
                    .doesNotContain("r3dis-secret");
            assertThat(checks.get("rspamd").get("detail").asText()).endsWith("answers pong");
            assertThat(checks.get("spamd").get("detail").asText()).endsWith("answers PONG");

            // a Redis that hangs still accepts connections (the kernel does): only an answer tells
            redis.pause();
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> get(gateway, "/health/ready", null).statusCode() == 503);
                JsonNode down = new ObjectMapper().readTree(get(gateway, "/health/ready", null).body()).get("checks");
                assertThat(down.get("redis").get("status").asText()).isEqualTo("DOWN");
                assertThat(down.get("redis").get("detail").asText()).contains("PING").contains("timed out");
                assertThat(down.get("rspamd").get("status").asText()).isEqualTo("UP");
            } finally {
                redis.resume();
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> get(gateway, "/health/ready", null).statusCode() == 200);
        }
    }

    @Test
    void anEngineAddressThatTakesConnectionsButDoesNotAnswerIsNotReady() throws Exception {
        try (Tarpit silentSpamd = Tarpit.start(Duration.ofMinutes(10));
                Tarpit silentRspamd = Tarpit.start(Duration.ofMinutes(10));
                TestGateway gateway = TestGateway.start(dir.resolve("gw"), Map.of("gateway.relay.enabled", "false",
                        "gateway.spam.spamd.address", silentSpamd.address(),
                        "gateway.spam.rspamd.url", "http://" + silentRspamd.address()))) {
            HttpResponse<String> ready = get(gateway, "/health/ready", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode checks = new ObjectMapper().readTree(ready.body()).get("checks");
            assertThat(checks.get("spamd").get("status").asText()).isEqualTo("DOWN");
            assertThat(checks.get("spamd").get("detail").asText())
                    .isEqualTo(silentSpamd.address() + ": no answer within 2 s");
            assertThat(checks.get("rspamd").get("status").asText()).isEqualTo("DOWN");
            assertThat(checks.get("rspamd").get("detail").asText())
                    .isEqualTo(silentRspamd.address() + ": no answer within 2 s");
            // asked side by side: one after the other, the second would be asked only when the first's 2 s are up
            long apart = Math.abs(silentSpamd.takenAt().get(0) - silentRspamd.takenAt().get(0));
            assertThat(Duration.ofNanos(apart)).as("between the two questions").isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        try (TestGateway gateway = TestGateway.start(dir.resolve("gw"),
                Map.of("gateway.admin.token", "s3cret-admin", "gateway.relay.enabled", "false"))) {
            assertThat(get(gateway, "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(gateway, "/metrics", "wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = get(gateway, "/metrics", "s3cret-admin");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(get(gateway, "/nothing-here", "s3cret-admin").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(TestGateway gateway, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.adminUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /** A series' value in Prometheus text format; 0 when absent (a counter not yet incremented). */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
