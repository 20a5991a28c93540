package dev.mailgateway.filter.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.RspamdServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Rspamd client against Debian's real rspamd ({@link RspamdServer}, started once for the test JVM) and, for
 * reply shapes and failures the real one will not produce on demand, small fake servers: the JDK's HTTP server for
 * canned JSON, raw sockets for what is not HTTP (silence, garbage, a reply cut off).
 */
class RspamdClientTest {

    /** For the real rspamd: a scan takes some ms, a loaded machine may take much longer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** For the fake servers' failure modes: the stage completes within the timeout and this. */
    private static final Duration SHORT = Duration.ofMillis(500);
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final AtomicInteger QUEUE_IDS = new AtomicInteger();

    private static EventLoopGroup loops;

    @BeforeAll
    static void start() {
        loops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rspamd-client-test", true),
                NioIoHandler.newFactory());
        // what the real rspamd finds in DNS about the sender of the test messages: the client's name resolves to
        // its address, the domain has an MX and an SPF record for that address (the test DNS server answers
        // NXDOMAIN for every other name)
        RspamdServer.shared().dns()
                .a("mail.example.org", "192.0.2.10")
                .mx("example.org", 10, "mail.example.org")
                .txt("example.org", "v=spf1 ip4:192.0.2.10 -all");
    }

    @AfterAll
    static void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- the real rspamd

    @Test
    void gtubeIsRejected() throws Exception {
        try (RspamdClient client = real()) {
            SpamReport report = scan(client, envelope(message("GTUBE", GTUBE)));
            System.out.println("rspamd on GTUBE: " + report);

            assertThat(report.action()).isEqualTo(EngineAction.REJECT);
            assertThat(report.symbols()).extracting(SpamReport.Symbol::name).contains("GTUBE");
            assertThat(report.score()).isGreaterThanOrEqualTo(report.required());
            assertThat(report.smtpMessage()).isEqualTo("Gtube pattern");
        }
    }

    @Test
    void aPlainMessageFromAWellConfiguredSenderPasses() throws Exception {
        try (RspamdClient client = real()) {
            SpamReport report = scan(client, envelope(message("Meeting notes", """
                    Hello Bob,

                    the notes of Tuesday's meeting are below. Let me know if anything is missing.

                    Regards,
                    Alice""")));
            System.out.println("rspamd on a plain message: score " + report.score() + ", " + report);

            assertThat(report.action()).isEqualTo(EngineAction.PASS);
            assertThat(report.required()).isEqualTo(15.0); // Debian's reject threshold
            assertThat(report.symbols()).extracting(SpamReport.Symbol::name).contains("R_SPF_ALLOW");
            assertThat(report.smtpMessage()).isNull();
            assertThat(report.subject()).isNull();
        }
    }

    @Test
    void symbolsComeHeaviestFirst() throws Exception {
        try (RspamdClient client = real()) {
            // no client name: HFILTER_HOSTNAME_UNKNOWN (2.5) and RDNS_NONE (1.0) lead
            SpamReport report = scan(client, envelope(message("Order", "Symbols in order.")).clientName(null));

            List<Double> weights = report.symbols().stream().map(s -> Math.abs(s.score())).toList();
            assertThat(weights).isSortedAccordingTo(Collections.reverseOrder());
            assertThat(report.symbols().get(0)).isEqualTo(new SpamReport.Symbol("HFILTER_HOSTNAME_UNKNOWN", 2.5));
        }
    }

    /** Rspamd's extended milter headers (turned on by the harness): {name: {value, order}}, folded values. */
    @Test
    void theMilterHeadersRspamdAsksForAreRead() throws Exception {
        try (RspamdClient client = real()) {
            Envelope envelope = envelope(message("Headers", "Some text."));
            SpamReport report = scan(client, envelope);

            assertThat(report.addHeaders()).contains(new SpamReport.Field("X-Rspamd-Queue-Id", envelope.queueId));
            SpamReport.Field result = report.addHeaders().stream()
                    .filter(f -> f.name().equals("X-Spamd-Result")).findFirst().orElseThrow();
            assertThat(result.value()).startsWith("default: False [").contains("R_SPF_ALLOW(-0.20)")
                    .doesNotContain("\r").doesNotContain("\n"); // folded by rspamd, unfolded here
            assertThat(report.removeHeaders()).contains("X-Spam", "X-Spamd-Result");
        }
    }

    @Test
    void theClientsAddressAndTheSenderDecideSpf() throws Exception {
        try (RspamdClient client = real()) {
            SpamReport allowed = scan(client, envelope(message("SPF", "From the right address.")));
            SpamReport failed = scan(client, envelope(message("SPF", "From another address."))
                    .client("198.51.100.7"));

            assertThat(names(allowed)).contains("R_SPF_ALLOW").doesNotContain("R_SPF_FAIL");
            assertThat(names(failed)).contains("R_SPF_FAIL").doesNotContain("R_SPF_ALLOW");
        }
    }

    @Test
    void theNullSenderIsNoSender() throws Exception {
        try (RspamdClient client = real()) {
            SpamReport withSender = scan(client, envelope(message("Bounce", "A report.")));
            SpamReport bounce = scan(client, envelope(message("Bounce", "A report.")).sender(""));

            // "From: <>" is an empty envelope sender to rspamd, not absent (it would fall back to the From field)
            assertThat(names(withSender)).contains("FROM_EQ_ENVFROM");
            assertThat(names(bounce)).doesNotContain("FROM_EQ_ENVFROM", "R_SPF_ALLOW");
        }
    }

    /** RCPT_COUNT_* counts the To and Cc fields, not the envelope: rspamd's log and TO_MATCH_ENVRCPT_* show it. */
    @Test
    void everyRecipientReachesRspamd() throws Exception {
        try (RspamdClient client = real()) {
            Envelope three = envelope(message("Three", "To three."))
                    .recipients("bob@example.net", "carol@example.net", "dave@example.net");
            SpamReport toThree = scan(client, three);
            SpamReport notToBob = scan(client, envelope(message("Other", "To Carol.")).recipients("carol@example.net"));

            assertThat(names(toThree)).contains("TO_MATCH_ENVRCPT_ALL");
            assertThat(names(notToBob)).doesNotContain("TO_MATCH_ENVRCPT_ALL", "TO_MATCH_ENVRCPT_SOME");
            assertThat(rspamdLogLine(three.queueId))
                    .contains("rcpts: <bob@example.net,carol@example.net,dave@example.net>");
        }
    }

    @Test
    void anUnknownClientNameIsLeftOut() throws Exception {
        try (RspamdClient client = real()) {
            SpamReport named = scan(client, envelope(message("Name", "Named.")));
            SpamReport unnamed = scan(client, envelope(message("Name", "Unnamed.")).clientName(null));

            assertThat(names(named)).doesNotContain("HFILTER_HOSTNAME_UNKNOWN", "RDNS_NONE");
            assertThat(names(unnamed)).contains("HFILTER_HOSTNAME_UNKNOWN", "RDNS_NONE");
        }
    }

    /**
     * An authenticated sender: rspamd skips SPF (and DKIM, DMARC) for a task with a user, and logs the user. TLS
     * is sent as TLS-Cipher, which rspamd 3.4 only flags the task with (no default rule reads it): accepted, no more.
     */
    @Test
    void theUserAndTheQueueIdReachRspamd() throws Exception {
        try (RspamdClient client = real()) {
            Envelope envelope = envelope(message("Submission", "Sent by a user of ours.")).user("alice").tls(true);
            SpamReport report = scan(client, envelope);

            assertThat(report.action()).isEqualTo(EngineAction.PASS);
            assertThat(names(report)).noneMatch(name -> name.startsWith("R_SPF_"));
            String line = rspamdLogLine(envelope.queueId);
            assertThat(line).contains("ip: 192.0.2.10,", "user: alice,", "from: <alice@example.org>",
                    "rcpts: <bob@example.net>");
        }
    }

    @Test
    void aScanTakesMilliseconds() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 4000; i++) {
            text.append("Paragraph ").append(i).append(": the quarterly figures for the northern region are in the"
                    + " attached table; please check them against the ledger before Friday.\r\n");
        }
        try (RspamdClient client = real()) {
            byte[] message = message("Figures", text.toString());
            scan(client, envelope(message)); // warm
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                scan(client, envelope(message));
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
            Collections.sort(millis);
            System.out.println("rspamd scans of a " + message.length + " byte message: median " + millis.get(10)
                    + " ms, max " + millis.get(19) + " ms");
            assertThat(millis.get(10)).isLessThan(500);
        }
    }

    /**
     * 20 MB from a file, streamed with a Content-Length. Rspamd's max_message is 50 MB by default (Debian does not
     * change it): it scans the whole message.
     */
    @Test
    void aLargeMessageIsStreamedFromItsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("large.eml");
        String queueId = "LARGE" + QUEUE_IDS.incrementAndGet();
        writeLargeMessage(file, 20 * 1024 * 1024);
        long size = Files.size(file);
        Tracking source = new Tracking(() -> Files.newInputStream(file));
        try (RspamdClient client = new RspamdClient(RspamdServer.shared().uri(), Duration.ofSeconds(60), loops)) {
            long started = System.nanoTime();
            SpamReport report = client.scan(new ScanRequest(source, size, InetAddress.getByName("192.0.2.10"),
                    "mail.example.org", "mail.example.org", "alice@example.org", List.of("bob@example.net"),
                    queueId, null, false)).toCompletableFuture().get(90, TimeUnit.SECONDS);
            System.out.println("rspamd on " + size + " bytes: " + report.action() + " " + report.score() + " in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");

            assertThat(report.symbols()).extracting(SpamReport.Symbol::name).contains("HAS_ATTACHMENT");
            assertThat(source.read.get()).isEqualTo(size);
            assertThat(source.allClosed()).isTrue();
            assertThat(rspamdLogLine(queueId)).contains("len: " + size + ",");
        }
    }

    @Test
    void aKilledRspamdIsUnavailableAndScansAgainAfterARestart() throws Exception {
        RspamdServer server = RspamdServer.shared();
        try (RspamdClient client = new RspamdClient(server.uri(), TIMEOUT, loops)) {
            assertThat(scan(client, envelope(message("Before", "Before the kill."))).action())
                    .isEqualTo(EngineAction.PASS);

            long killing = System.nanoTime();
            server.kill();
            System.out.println("rspamd stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killing)
                    + " ms");
            EngineFailure failure = failure(client.scan(envelope(message("During", "Nobody home.")).request()),
                    SLACK);
            assertThat(failure.kind()).isEqualTo(EngineFailure.Kind.UNAVAILABLE);

            server.restart();
            System.out.println("rspamd restarted in " + server.lastStart().toMillis() + " ms");
            assertThat(scan(client, envelope(message("After", "After the restart."))).action())
                    .isEqualTo(EngineAction.PASS);
        }
    }

    // ---- replies of every shape, from a fake rspamd

    @Test
    void everyShapeOfMilterHeadersIsRead() throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(200, """
                {"action": "rewrite subject", "score": 9.5, "required_score": 15,
                 "subject": "***SPAM*** Hello",
                 "symbols": {"LOW": {"name": "LOW", "score": 0.5}, "HIGH": {"name": "HIGH", "score": -7},
                             "MID_B": {"name": "MID_B", "score": 3}, "MID_A": {"name": "MID_A", "score": 3},
                             "ZERO": {"name": "ZERO", "score": 0}, "NONE": {"name": "NONE"}},
                 "messages": {"smtp_message": "Looks like spam"},
                 "milter": {
                   "add_headers": {
                     "X-Plain": "a string",
                     "X-Object": {"value": "an object", "order": 0},
                     "X-Array": ["first", {"value": "second", "order": 1}],
                     "X-Folded": {"value": "one;\\r\\n\\ttwo;\\n three", "order": -1},
                     "X-Odd": 42
                   },
                   "remove_headers": {"X-Spam": 0, "X-Old": 1}
                 }}
                """);
             RspamdClient client = fake.client(TIMEOUT)) {
            SpamReport report = scan(client, envelope(message("Hello", "Text.")));

            assertThat(report.action()).isEqualTo(EngineAction.REWRITE_SUBJECT);
            assertThat(report.score()).isEqualTo(9.5);
            assertThat(report.required()).isEqualTo(15.0);
            assertThat(report.subject()).isEqualTo("***SPAM*** Hello");
            assertThat(report.smtpMessage()).isEqualTo("Looks like spam");
            assertThat(report.symbols()).containsExactly(new SpamReport.Symbol("HIGH", -7),
                    new SpamReport.Symbol("MID_A", 3), new SpamReport.Symbol("MID_B", 3),
                    new SpamReport.Symbol("LOW", 0.5), new SpamReport.Symbol("ZERO", 0),
                    new SpamReport.Symbol("NONE", Double.NaN));
            assertThat(report.addHeaders()).containsExactly(new SpamReport.Field("X-Plain", "a string"),
                    new SpamReport.Field("X-Object", "an object"), new SpamReport.Field("X-Array", "first"),
                    new SpamReport.Field("X-Array", "second"), new SpamReport.Field("X-Folded", "one;\ttwo; three"));
            assertThat(report.removeHeaders()).containsExactly("X-Spam", "X-Old");
        }
    }

    @Test
    void aMinimalReplyIsAReport() throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(200, "{\"action\": \"no action\", \"score\": 0.0}");
             RspamdClient client = fake.client(TIMEOUT)) {
            SpamReport report = scan(client, envelope(message("Hello", "Text.")));

            assertThat(report).isEqualTo(new SpamReport(0.0, Double.NaN, EngineAction.PASS, List.of(), null,
                    List.of(), List.of(), null));
        }
    }

    @ParameterizedTest
    @CsvSource({"no action,PASS", "add header,TAG", "rewrite subject,REWRITE_SUBJECT", "greylist,TEMPFAIL",
            "soft reject,TEMPFAIL", "reject,REJECT"})
    void rspamdsActionsAreOurs(String action, EngineAction expected) throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(200, "{\"action\": \"" + action + "\", \"score\": 1}");
             RspamdClient client = fake.client(TIMEOUT)) {
            assertThat(scan(client, envelope(message("Hello", "Text."))).action()).isEqualTo(expected);
        }
    }

    @Test
    void anUnknownActionPassesAndIsLoggedOnce() throws Exception {
        try (LogLines log = new LogLines(RspamdClient.class.getName());
             FakeRspamd fake = FakeRspamd.replying(200, "{\"action\": \"quarantine\", \"score\": 20}");
             RspamdClient client = fake.client(TIMEOUT)) {
            assertThat(scan(client, envelope(message("Hello", "Text."))).action()).isEqualTo(EngineAction.PASS);
            assertThat(scan(client, envelope(message("Hello", "Text."))).action()).isEqualTo(EngineAction.PASS);

            assertThat(log.lines()).filteredOn(line -> line.contains("'quarantine'")).hasSize(1);
        }
    }

    // ---- the request

    @Test
    void theEnvelopeGoesInRspamdsHeadersAndTheMessageWithALength() throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(200, "{\"action\": \"no action\", \"score\": 0}");
             RspamdClient client = new RspamdClient(URI.create(fake.url() + "/"), TIMEOUT, loops)) {
            byte[] message = message("Hello", "Text.");
            Envelope envelope = envelope(message).recipients("bob@example.net", "carol@example.net")
                    .user("alice").tls(true);
            scan(client, envelope);

            FakeRspamd.Request request = fake.requests.get(0);
            assertThat(request.method).isEqualTo("POST");
            assertThat(request.path).isEqualTo("/checkv2");
            assertThat(request.body).isEqualTo(message);
            Headers headers = request.headers;
            assertThat(headers.getFirst("Content-Length")).isEqualTo(Integer.toString(message.length));
            assertThat(headers).doesNotContainKeys("Transfer-encoding", "Upgrade", "Http2-settings");
            assertThat(headers.getFirst("Ip")).isEqualTo("192.0.2.10");
            assertThat(headers.getFirst("Helo")).isEqualTo("mail.example.org");
            assertThat(headers.getFirst("Hostname")).isEqualTo("mail.example.org");
            assertThat(headers.getFirst("From")).isEqualTo("alice@example.org");
            assertThat(headers.get("Rcpt")).containsExactly("bob@example.net", "carol@example.net");
            assertThat(headers.getFirst("Queue-id")).isEqualTo(envelope.queueId);
            assertThat(headers.getFirst("User")).isEqualTo("alice");
            assertThat(headers.getFirst("Tls-cipher")).isNotEmpty();
        }
    }

    @Test
    void whatIsUnknownIsLeftOutAndTheNullSenderIsAngleBrackets() throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(200, "{\"action\": \"no action\", \"score\": 0}");
             RspamdClient client = fake.client(TIMEOUT)) {
            scan(client, envelope(message("Hello", "Text.")).sender("").helo(null).clientName(null).client(null));

            Headers headers = fake.requests.get(0).headers;
            assertThat(headers.getFirst("From")).isEqualTo("<>");
            assertThat(headers).doesNotContainKeys("Helo", "Hostname", "Ip", "User", "Tls-cipher");
        }
    }

    @Test
    void headerValuesAreOneLineOfAscii() throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(200, "{\"action\": \"no action\", \"score\": 0}");
             RspamdClient client = fake.client(TIMEOUT)) {
            SpamReport report = scan(client, envelope(message("Hello", "Text."))
                    .helo("evil.example\r\nUser: root").user("jürgen\n").sender("jürgen@exämple.org")
                    .recipients("用户@例子.example").clientName("bücher.example").client("2001:db8::1"));

            assertThat(report.action()).isEqualTo(EngineAction.PASS);
            Headers headers = fake.requests.get(0).headers;
            assertThat(headers.get("Helo")).containsExactly("evil.example  User: root");
            assertThat(headers.get("User")).containsExactly("j?rgen");
            assertThat(headers.get("From")).containsExactly("j?rgen@xn--exmple-cua.org");
            assertThat(headers.get("Rcpt")).containsExactly("??@xn--fsqu00a.example");
            assertThat(headers.get("Hostname")).containsExactly("xn--bcher-kva.example");
            assertThat(headers.getFirst("Ip")).isEqualTo("2001:db8:0:0:0:0:0:1");
        }
    }

    @Test
    void theBaseUrlIsChecked() {
        assertThat(new RspamdClient(URI.create("http://127.0.0.1:11333"), TIMEOUT, loops).checkUri())
                .isEqualTo(URI.create("http://127.0.0.1:11333/checkv2"));
        assertThat(new RspamdClient(URI.create("HTTP://127.0.0.1:11333/scan/"), TIMEOUT, loops).checkUri())
                .isEqualTo(URI.create("http://127.0.0.1:11333/scan/checkv2"));
        assertThat(new RspamdClient(URI.create("http://[::1]:11333"), TIMEOUT, loops).checkUri())
                .isEqualTo(URI.create("http://[::1]:11333/checkv2"));
        // Rspamd's workers speak plain HTTP: https would be a silent downgrade or a failure at every scan
        for (String bad : List.of("https://127.0.0.1:11333", "ftp://127.0.0.1:11333", "localhost:11333", "http:///checkv2",
                "http://127.0.0.1:11333/?x=1", "http://u:p@127.0.0.1:11333")) {
            assertThatThrownBy(() -> new RspamdClient(URI.create(bad), TIMEOUT, loops))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Rspamd URL");
        }
        assertThatThrownBy(() -> new RspamdClient(URI.create("http://127.0.0.1:11333"), Duration.ZERO, loops))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- failures: each within the timeout, with its kind; the message stream closed

    @Test
    void nothingListeningIsUnavailable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (RspamdClient client = new RspamdClient(URI.create("http://127.0.0.1:" + port), SHORT, loops)) {
            assertFails(client, EngineFailure.Kind.UNAVAILABLE, SHORT);
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndTheExchangeIsCancelled() throws Exception {
        try (RawServer silent = new RawServer((server, socket) -> {
                 server.readRequest(socket);
                 server.awaitClose(socket);
             });
             RspamdClient client = silent.client(SHORT)) {
            EngineFailure failure = assertFails(client, EngineFailure.Kind.TIMEOUT, SHORT);
            assertThat(failure.getMessage()).contains("500 ms");
            await("the connection closed by the client").atMost(SLACK).until(() -> silent.closedByClient.get() == 1);
        }
    }

    /** The JDK's request timeout covers the wait for the headers only: a body that never ends needs our deadline. */
    @Test
    void aReplyThatStallsInItsBodyTimesOut() throws Exception {
        try (RawServer stalling = new RawServer((server, socket) -> {
                 server.readRequest(socket);
                 server.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         + "Content-Length: 1000\r\n\r\n{\"action\": ");
                 server.awaitClose(socket);
             });
             RspamdClient client = stalling.client(SHORT)) {
            assertFails(client, EngineFailure.Kind.TIMEOUT, SHORT);
            await("the connection closed by the client").atMost(SLACK)
                    .until(() -> stalling.closedByClient.get() == 1);
        }
    }

    /** A reply cut off in its body is a broken connection: UNAVAILABLE (not PROTOCOL: what came was valid). */
    @Test
    void aReplyCutOffIsUnavailable() throws Exception {
        try (RawServer cut = new RawServer((server, socket) -> {
                 server.readRequest(socket);
                 server.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         + "Content-Length: 1000\r\n\r\n{\"action\": ");
                 socket.close();
             });
             RspamdClient client = cut.client(SHORT)) {
            assertFails(client, EngineFailure.Kind.UNAVAILABLE, SHORT);
        }
    }

    @Test
    void aConnectionClosedWithoutAReplyIsUnavailable() throws Exception {
        try (RawServer closing = new RawServer((server, socket) -> {
                 server.readRequest(socket);
                 socket.close();
             });
             RspamdClient client = closing.client(SHORT)) {
            assertFails(client, EngineFailure.Kind.UNAVAILABLE, SHORT);
        }
    }

    @Test
    void aReplyThatIsNotHttpIsProtocol() throws Exception {
        try (RawServer garbage = new RawServer((server, socket) -> {
                 server.readRequest(socket);
                 server.write(socket, "220 mail.example.org ESMTP ready\r\n\r\n");
                 socket.close();
             });
             RspamdClient client = garbage.client(SHORT)) {
            assertFails(client, EngineFailure.Kind.PROTOCOL, SHORT);
        }
    }

    @Test
    void anHttpErrorIsProtocol() throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(500, "{\"error\": \"something broke\"}");
             RspamdClient client = fake.client(SHORT)) {
            EngineFailure failure = assertFails(client, EngineFailure.Kind.PROTOCOL, SHORT);
            assertThat(failure.getMessage()).contains("HTTP 500", "something broke");
        }
    }

    @Test
    void aBodyThatIsNotJsonIsProtocol() throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(200, "<html>Welcome to nginx!</html>");
             RspamdClient client = fake.client(SHORT)) {
            assertThat(assertFails(client, EngineFailure.Kind.PROTOCOL, SHORT).getMessage()).contains("not JSON");
        }
    }

    @Test
    void jsonWithoutActionOrScoreIsProtocol() throws Exception {
        for (String body : List.of("{\"score\": 1}", "{\"action\": \"reject\"}", "{\"action\": 1, \"score\": 1}",
                "[1, 2]", "\"reject\"")) {
            try (FakeRspamd fake = FakeRspamd.replying(200, body);
                 RspamdClient client = fake.client(SHORT)) {
                assertFails(client, EngineFailure.Kind.PROTOCOL, SHORT);
            }
        }
    }

    @Test
    void aReplyOverAMegabyteIsProtocol() throws Exception {
        String huge = "{\"action\": \"no action\", \"score\": 0, \"pad\": \"" + "x".repeat(RspamdClient.MAX_REPLY_BYTES)
                + "\"}";
        try (FakeRspamd fake = FakeRspamd.replying(200, huge);
             RspamdClient client = fake.client(Duration.ofSeconds(5))) {
            assertThat(assertFails(client, EngineFailure.Kind.PROTOCOL, Duration.ofSeconds(5)).getMessage())
                    .contains("over " + RspamdClient.MAX_REPLY_BYTES);
        }
        // without a Content-Length: counted as it comes
        try (FakeRspamd fake = FakeRspamd.replying(200, huge).chunked();
             RspamdClient client = fake.client(Duration.ofSeconds(5))) {
            assertFails(client, EngineFailure.Kind.PROTOCOL, Duration.ofSeconds(5));
        }
    }

    @Test
    void aMessageThatCannotBeReadIsUnavailable() throws Exception {
        try (FakeRspamd fake = FakeRspamd.replying(200, "{\"action\": \"no action\", \"score\": 0}");
             RspamdClient client = fake.client(SHORT)) {
            Envelope envelope = envelope(message("Hello", "Text."));
            envelope.source = () -> {
                throw new IOException("spool file gone");
            };
            long started = System.nanoTime();
            EngineFailure failure = failure(client.scan(envelope.request()), SHORT.plus(SLACK));
            assertThat(failure.kind()).isEqualTo(EngineFailure.Kind.UNAVAILABLE);
            assertThat(failure.getMessage()).contains("spool file gone");
            System.out.println("unreadable message: " + failure.getMessage() + " after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        }
    }

    @Test
    void closingFailsTheScansUnderWayAndLaterOnes() throws Exception {
        try (RawServer silent = new RawServer((server, socket) -> {
            server.readRequest(socket);
            server.awaitClose(socket);
        })) {
            RspamdClient client = silent.client(Duration.ofSeconds(30));
            CompletionStage<SpamReport> underWay = client.scan(envelope(message("Hello", "Text.")).request());
            await().atMost(SLACK).until(() -> silent.requests.get() == 1);
            client.close();

            assertThat(failure(underWay, SLACK).kind()).isEqualTo(EngineFailure.Kind.UNAVAILABLE);
            assertThat(failure(client.scan(envelope(message("Hello", "Text.")).request()), SLACK).kind())
                    .isEqualTo(EngineFailure.Kind.UNAVAILABLE);
        }
    }

    // ---- helpers

    private static RspamdClient real() {
        return new RspamdClient(RspamdServer.shared().uri(), TIMEOUT, loops);
    }

    private static SpamReport scan(RspamdClient client, Envelope envelope) throws Exception {
        try {
            return client.scan(envelope.request()).toCompletableFuture()
                    .get(TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the scan failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Scans (the message stream tracked), expects a failure of this kind within the timeout and the slack, and
     * that every stream the scan opened is closed.
     */
    private static EngineFailure assertFails(RspamdClient client, EngineFailure.Kind kind, Duration timeout)
            throws Exception {
        Envelope envelope = envelope(message("Hello", "Text."));
        Tracking source = new Tracking(envelope.source);
        envelope.source = source;
        long started = System.nanoTime();
        EngineFailure failure = failure(client.scan(envelope.request()), timeout.plus(SLACK));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println(kind + " expected, got after " + millis + " ms: " + failure.kind() + " "
                + failure.getMessage());
        assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(kind);
        assertThat(millis).isLessThan(timeout.plus(SLACK).toMillis());
        await("the message streams closed").atMost(SLACK).until(source::allClosed);
        return failure;
    }

    /** The failure the stage completes with, itself (not wrapped), within the time given. */
    private static EngineFailure failure(CompletionStage<SpamReport> stage, Duration within) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        stage.whenComplete((report, failure) -> outcome.complete(failure == null
                ? new AssertionError("a report instead of a failure: " + report) : failure));
        Throwable failure = outcome.get(within.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(failure).isInstanceOf(EngineFailure.class);
        return (EngineFailure) failure;
    }

    private static List<String> names(SpamReport report) {
        return report.symbols().stream().map(SpamReport.Symbol::name).toList();
    }

    /** Rspamd's log line for the scan with this queue id (written when the task ends: awaited). */
    private static String rspamdLogLine(String queueId) {
        Path log = RspamdServer.shared().log();
        String needle = "qid: <" + queueId + ">";
        return await("rspamd's log line for " + queueId).atMost(SLACK).until(() -> {
            try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
                return lines.filter(line -> line.contains(needle) && line.contains("rspamd_task_write_log"))
                        .findFirst().orElse(null);
            }
        }, line -> line != null);
    }

    /** A message as it reaches the filter: our Received field first. */
    private static byte[] message(String subject, String body) {
        String queueId = "Q" + QUEUE_IDS.incrementAndGet();
        return ("Received: from mail.example.org ([192.0.2.10])\r\n"
                + "\tby mx.example.net with ESMTP id " + queueId + "\r\n"
                + "\tfor <bob@example.net>; Fri, 4 Dec 2026 13:00:00 +0000\r\n"
                + "Date: Fri, 4 Dec 2026 12:59:58 +0000\r\n"
                + "Message-ID: <" + queueId.toLowerCase(Locale.ROOT) + ".20261204125958@example.org>\r\n"
                + "From: Alice <alice@example.org>\r\n"
                + "To: Bob <bob@example.net>\r\n"
                + "Subject: " + subject + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n"
                + body.replaceAll("\r?\n", "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static Envelope envelope(byte[] message) {
        return new Envelope(message);
    }

    /** A scan request to vary: by default what a well-configured sender at 192.0.2.10 gives. */
    private static final class Envelope {
        MessageSource source;
        final long size;
        String client = "192.0.2.10";
        String helo = "mail.example.org";
        String clientName = "mail.example.org";
        String sender = "alice@example.org";
        List<String> recipients = List.of("bob@example.net");
        final String queueId = "T" + QUEUE_IDS.incrementAndGet() + "X" + Long.toHexString(System.nanoTime());
        String user;
        boolean tls;

        Envelope(byte[] message) {
            this.source = () -> new ByteArrayInputStream(message);
            this.size = message.length;
        }

        Envelope client(String address) {
            client = address;
            return this;
        }

        Envelope helo(String name) {
            helo = name;
            return this;
        }

        Envelope clientName(String name) {
            clientName = name;
            return this;
        }

        Envelope sender(String address) {
            sender = address;
            return this;
        }

        Envelope recipients(String... addresses) {
            recipients = List.of(addresses);
            return this;
        }

        Envelope user(String name) {
            user = name;
            return this;
        }

        Envelope tls(boolean encrypted) {
            tls = encrypted;
            return this;
        }

        ScanRequest request() throws IOException {
            return new ScanRequest(source, size, client == null ? null : InetAddress.getByName(client), helo,
                    clientName, sender, recipients, queueId, user, tls);
        }
    }

    /** A message source that counts what is read and knows whether every stream it opened is closed. */
    private static final class Tracking implements MessageSource {
        private final MessageSource source;
        private final List<AtomicLong> open = new CopyOnWriteArrayList<>();
        final AtomicLong read = new AtomicLong();

        Tracking(MessageSource source) {
            this.source = source;
        }

        @Override
        public InputStream open() throws IOException {
            AtomicLong closed = new AtomicLong();
            open.add(closed);
            return new FilterInputStream(source.open()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        read.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        read.addAndGet(n);
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    closed.set(1);
                    super.close();
                }
            };
        }

        boolean allClosed() {
            return open.stream().allMatch(closed -> closed.get() == 1);
        }
    }

    /** A multipart message of about {@code size} bytes: a text part and a base64 attachment, written as it goes. */
    private static void writeLargeMessage(Path file, long size) throws IOException {
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("Received: from mail.example.org ([192.0.2.10])\r\n\tby mx.example.net with ESMTP id LARGE;"
                    + " Fri, 4 Dec 2026 13:00:00 +0000\r\nDate: Fri, 4 Dec 2026 12:59:58 +0000\r\n"
                    + "Message-ID: <large.20261204125958@example.org>\r\nFrom: Alice <alice@example.org>\r\n"
                    + "To: Bob <bob@example.net>\r\nSubject: The archive\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe archive is attached.\r\n--b1\r\n"
                    + "Content-Type: application/octet-stream; name=\"archive.bin\"\r\n"
                    + "Content-Disposition: attachment; filename=\"archive.bin\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Base64.Encoder base64 = Base64.getMimeEncoder();
            byte[] chunk = new byte[57 * 1000]; // 1000 lines of 76 characters
            long written = 0;
            while (written < size - 100) {
                random.nextBytes(chunk);
                byte[] lines = base64.encode(chunk);
                out.write(lines);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                written += lines.length + 2;
            }
            out.write("--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A fake rspamd: the JDK's HTTP server answering every request with one canned reply, keeping the requests. */
    private static final class FakeRspamd implements AutoCloseable {

        record Request(String method, String path, Headers headers, byte[] body) {
        }

        private final HttpServer server;
        final List<Request> requests = new CopyOnWriteArrayList<>();
        private volatile boolean chunked;

        private FakeRspamd(int status, String reply) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders(), body));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                } catch (IOException e) {
                    // the client gave up reading (a reply too large)
                }
            });
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "fake-rspamd");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
        }

        static FakeRspamd replying(int status, String reply) throws IOException {
            return new FakeRspamd(status, reply);
        }

        FakeRspamd chunked() {
            chunked = true;
            return this;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        RspamdClient client(Duration timeout) {
            return new RspamdClient(URI.create(url()), timeout, loops);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A TCP server that does what the test says with each connection (not necessarily HTTP). */
    private static final class RawServer implements AutoCloseable {

        interface Behaviour {
            void serve(RawServer server, Socket socket) throws IOException;
        }

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger closedByClient = new AtomicInteger();

        RawServer(Behaviour behaviour) throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        sockets.add(socket);
                        Thread worker = new Thread(() -> {
                            try {
                                behaviour.serve(this, socket);
                            } catch (IOException e) {
                                // the test is over, or the client went away
                            }
                        }, "raw-server-connection");
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "raw-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        RspamdClient client(Duration timeout) {
            return new RspamdClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), timeout, loops);
        }

        /** Reads an HTTP request's header section and its body (by its Content-Length). */
        void readRequest(Socket socket) throws IOException {
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
            if (length.find()) {
                in.readNBytes(Integer.parseInt(length.group(1)));
            }
            requests.incrementAndGet();
        }

        /** Holds the connection, saying nothing, until the client closes it (or the test ends). */
        void awaitClose(Socket socket) throws IOException {
            if (socket.getInputStream().read() < 0) {
                closedByClient.incrementAndGet();
            }
        }

        void write(Socket socket, String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
