package dev.mailgateway.ops.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.Sink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.broker.BrokerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * explain on the shipped routes and configuration, read from its JSON: a relayed, a refused (DNSBL at RCPT), a
 * quarantined (DMARC p=quarantine) and a rewritten (canonical sender map) message. Nothing reaches a next hop (a real
 * one is configured and hears nothing) or a broker (none exists in this JVM while or after explain runs).
 */
class ExplainTest {

    @TempDir
    static Path dir;
    private static DnsServer dns;
    private static Sink next;

    @BeforeAll
    static void start() throws Exception {
        dns = DnsServer.start();
        dns.a("1.2.0.192.bl.test", "127.0.0.2")
                .txt("quarantine.test", "v=spf1 -all").txt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine");
        next = Sink.start("tls=none");
    }

    @AfterAll
    static void stop() throws Exception {
        next.close();
        dns.close();
    }

    private static Map<String, String> config(String... pairs) {
        Map<String, String> config = new HashMap<>(Map.of(
                "gateway.hostname", "gw.test",
                "gateway.dns.server", dns.address(), "gateway.dns.timeout", "1s",
                "gateway.relay-domains", "dest.test", "gateway.relay-recipients", "",
                "gateway.transport-map", "dest.test=" + next.address()));
        for (int i = 0; i < pairs.length; i += 2) {
            config.put(pairs[i], pairs[i + 1]);
        }
        return config;
    }

    private static JsonNode explain(Map<String, String> config, String message, String... args) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "message", ".eml"), message);
        String[] all = new String[args.length + 1];
        all[0] = file.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> report = Explain.run(ExplainOptions.parse(all), config);
        // through the JSON writer, as tools read it
        JsonNode json = new ObjectMapper().readTree(ExplainReport.json(report));
        new PrintStream(out, true, StandardCharsets.UTF_8).print(ExplainReport.text(report));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Decision: ");
        assertThat(BrokerRegistry.getInstance().getBrokers()).as("no broker was started").isEmpty();
        return json;
    }

    @Test
    void aRelayedMessageShowsItsSessionChecksQueueAndNextHop() throws Exception {
        JsonNode report = explain(config(), "From: a@src.test\nSubject: hello\n\nHi.\n",
                "--from", "a@src.test", "--to", "r@dest.test,x@other.test", "--client", "192.0.2.7", "--helo",
                "mta.src.test");

        assertThat(report.at("/decision/outcome").asText()).isEqualTo("accepted");
        assertThat(report.at("/decision/reply").asText()).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(report.at("/session/0/client").asText()).isEqualTo("(connect from 192.0.2.7)");
        assertThat(report.at("/session").toString()).contains("554 5.7.1 <x@other.test>: Relay access denied");
        assertThat(report.at("/policy").findValuesAsText("stage")).containsExactly("connect", "helo", "mail", "rcpt");
        assertThat(report.at("/spam/verdict").asText()).isEqualTo("pass");
        assertThat(report.at("/authentication/0").asText()).startsWith("spf=");
        assertThat(report.at("/queued/queue").asText()).isEqualTo("mail.spool");
        assertThat(report.at("/queued/forwardedTo/0").asText()).isEqualTo("mail.relay");
        assertThat(report.at("/rewrites/envelope/to").toString()).isEqualTo("[\"r@dest.test\"]");
        assertThat(report.at("/rewrites/headersAdded").toString()).contains("Received: from mta.src.test ([192.0.2.7])",
                "X-Spam-Status: No");
        assertThat(report.at("/nextHops/r@dest.test/via").asText()).isEqualTo("transport map");
        assertThat(report.at("/nextHops/r@dest.test/hosts/0").asText()).startsWith(next.address());
        assertThat(next.received()).as("explain never delivers").isEmpty();
    }

    @Test
    void aClientOnABlocklistIsRefusedAtRcptWithTheListNamed() throws Exception {
        JsonNode report = explain(config("gateway.policy.dnsbl", "bl.test=127.0.0.[2..11]*2"),
                "From: a@src.test\n\nHi.\n", "--from", "a@src.test", "--to", "r@dest.test", "--client", "192.0.2.1");

        assertThat(report.at("/decision/outcome").asText()).isEqualTo("refused");
        assertThat(report.at("/decision/stage").asText()).isEqualTo("rcpt");
        assertThat(report.at("/decision/reply").asText()).startsWith("554 5.7.1 ").contains("bl.test");
        JsonNode rcpt = report.at("/policy/3");
        assertThat(rcpt.at("/stage").asText()).isEqualTo("rcpt");
        assertThat(rcpt.at("/reasons").toString()).contains("bl.test");
        assertThat(rcpt.at("/reply").asText()).startsWith("554 5.7.1");
        assertThat(report.has("queued")).isFalse();
        assertThat(next.received()).isEmpty();
    }

    @Test
    void dmarcQuarantineIsAcceptedOntoTheQuarantineWithoutNextHops() throws Exception {
        JsonNode report = explain(config(), "From: boss@quarantine.test\nSubject: pay now\n\nUrgent.\n",
                "--from", "boss@quarantine.test", "--to", "r@dest.test");

        assertThat(report.at("/decision/outcome").asText()).isEqualTo("quarantined");
        assertThat(report.at("/decision/reply").asText()).startsWith("250 ");
        assertThat(report.at("/queued/queue").asText()).isEqualTo("mail.spool");
        assertThat(report.at("/queued/forwardedTo").toString()).isEqualTo("[\"mail.quarantine\"]");
        assertThat(report.at("/authentication").toString()).contains("dmarc=fail");
        assertThat(report.has("nextHops")).isFalse();
        assertThat(next.received()).isEmpty();
    }

    @Test
    void aCanonicalSenderMapShowsAsAnEnvelopeAndHeaderChange() throws Exception {
        Path map = Files.writeString(dir.resolve("sender-map"), "a@src.test    Alice.Example@corp.test\n");
        JsonNode report = explain(config("gateway.rewrite.sender-map", map.toString(), "gateway.rewrite.headers",
                "true"), "From: Alice <a@src.test>\nTo: r@dest.test\n\nHi.\n", "--from", "a@src.test", "--to",
                "r@dest.test", "--client", "127.0.0.1");

        assertThat(report.at("/decision/outcome").asText()).isEqualTo("accepted");
        assertThat(report.at("/rewrites/envelope/from").asText()).isEqualTo("Alice.Example@corp.test");
        assertThat(report.at("/rewrites/headersRemoved").toString()).contains("From: Alice <a@src.test>");
        assertThat(report.at("/rewrites/headersAdded").toString()).contains("From: Alice <Alice.Example@corp.test>");
        assertThat(next.received()).isEmpty();
    }

    @Test
    void usageErrorsSayWhatIsMissing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Explain.main(new String[] {"message.eml", "--from", "a@src.test"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--from and --to are needed", "usage: explain");
    }
}
