package dev.mailgateway.filter.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.filter.engine.EngineFailure.Kind;
import dev.mailgateway.filter.engine.SpamdClient.Mode;
import dev.mailgateway.testing.SpamdServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The spamd client against Debian's real spamd ({@link SpamdServer}), and against small fake servers for what a real
 * one does not do on demand (silence, trickling, half replies, garbage).
 */
class SpamdClientTest {

    /** Generous: a loaded 2-core machine, a spamd that just started. */
    private static final Duration SCAN = Duration.ofSeconds(60);
    /** What a failing scan may take beyond its timeout, on a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(10);

    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private static EventLoopGroup group;
    private static SpamdServer spamd;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("spamd-test-io", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        spamd = SpamdServer.shared();
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        spamd.start(); // running for whoever comes next, whatever a test did to it
    }

    // --- the real spamd

    @ParameterizedTest
    @EnumSource(Mode.class)
    void gtubeIsSpam(Mode mode) throws Exception {
        SpamReport report = scan(client(spamd.address(), SCAN, mode), request(message("Test", GTUBE)));

        assertThat(report.score()).isGreaterThanOrEqualTo(1000);
        assertThat(report.required()).isEqualTo(5.0);
        assertThat(report.action()).isEqualTo(EngineAction.TAG);
        assertThat(report.symbols()).extracting(SpamReport.Symbol::name).contains("GTUBE");
        assertThat(report.symbols()).allSatisfy(symbol -> assertThat(symbol.score()).isNaN());
        assertThat(report.smtpMessage()).isNull();
        assertThat(report.addHeaders()).isEmpty();
        assertThat(report.removeHeaders()).isEmpty();
        assertThat(report.subject()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPlainMessagePasses(Mode mode) throws Exception {
        SpamReport report = scan(client(spamd.address(), SCAN, mode), request(message("Lunch on Friday",
                "Hi Bob,\r\n\r\nshall we meet for lunch on Friday at noon, at the usual place?\r\n\r\nAlice")));

        assertThat(report.action()).isEqualTo(EngineAction.PASS);
        assertThat(report.required()).isEqualTo(5.0);
        assertThat(report.score()).isLessThan(report.required());
        assertThat(report.symbols()).extracting(SpamReport.Symbol::name).doesNotContain("GTUBE");
    }

    @Test
    void aSpilledMessageIsStreamedFromItsFile() throws Exception {
        // one part: spamd takes ~0.3 s for 5 MB of it (a multipart message of that size, 5-10 s of MIME parsing)
        byte[] random = new byte[3_700_000];
        new Random(42).nextBytes(random);
        Path file = temp.resolve("spilled.eml");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("Received: from mail.example.org (mail.example.org [192.0.2.1])\r\n"
                    + "\tby mx.example.com with ESMTPS id 4ABC; Fri, 4 Dec 2026 13:00:00 +0000\r\n"
                    + "Date: Fri, 4 Dec 2026 13:00:00 +0000\r\nFrom: Alice <alice@example.org>\r\n"
                    + "To: Bob <bob@example.com>\r\nSubject: The measurements\r\n"
                    + "Message-ID: <20261204130000.5678@example.org>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
                    + "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(Base64.getMimeEncoder().encode(random));
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        long size = Files.size(file);
        assertThat(size).isGreaterThan(5_000_000);
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        MessageSource source = () -> {
            opened.incrementAndGet();
            return new FilterInputStream(Files.newInputStream(file)) {
                @Override
                public void close() throws IOException {
                    closed.incrementAndGet();
                    super.close();
                }
            };
        };

        SpamReport report = scan(client(spamd.address(), SCAN, Mode.SYMBOLS), request(source, size));

        assertThat(report.action()).isEqualTo(EngineAction.PASS);
        assertThat(opened).hasValue(1);
        assertThat(closed.get()).isPositive(); // before the stage completed
    }

    @Test
    void aKilledSpamdIsUnavailableUntilItIsBack() throws Exception {
        SpamdClient client = client(spamd.address(), Duration.ofSeconds(5), Mode.SYMBOLS);
        List<ProcessHandle> processes = spamd.processes();
        assertThat(processes).hasSizeGreaterThanOrEqualTo(3); // server, children, watcher

        spamd.kill();

        assertThat(processes).noneMatch(SpamdServer::alive);
        EngineFailure failure = failure(client, request(message("Test", GTUBE)), Duration.ofSeconds(5));
        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);

        spamd.restart();

        SpamReport report = scan(client(spamd.address(), SCAN, Mode.SYMBOLS), request(message("Test", GTUBE)));
        assertThat(report.action()).isEqualTo(EngineAction.TAG);
    }

    @Test
    void aClientWithItsOwnEventLoopStopsItOnClose() throws Exception {
        SpamdClient client = SpamdClient.withOwnEventLoop(spamd.address(), SCAN, Mode.HEADERS, null);
        try {
            assertThat(scan(client, request(message("Test", GTUBE))).action()).isEqualTo(EngineAction.TAG);
        } finally {
            client.close();
        }
        await("the client's I/O thread ends").atMost(SLACK).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("spamd-io")));
        EngineFailure failure = failure(client, request(message("Test", GTUBE)), Duration.ofSeconds(1));
        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    // --- what is sent

    @Test
    void theRequestIsSpamcWithTheExactMessage() throws Exception {
        byte[] message = message("Test", "Hello");
        try (FakeSpamd fake = FakeSpamd.replying(symbolsReply("BAYES_00")).start()) {
            scan(client(fake.address(), SCAN, Mode.SYMBOLS), request(message));

            FakeSpamd.Request received = fake.received.get(10, TimeUnit.SECONDS);
            assertThat(received.head()).isEqualTo("SYMBOLS SPAMC/1.5\r\nContent-length: " + message.length + "\r\n\r\n");
            assertThat(received.body()).isEqualTo(message);
        }
    }

    @Test
    void aConfiguredUserIsSent() throws Exception {
        byte[] message = message("Test", "Hello");
        try (FakeSpamd fake = FakeSpamd.replying(headersReply("No", "tests=none")).start()) {
            scan(new SpamdClient(fake.address(), SCAN, Mode.HEADERS, "bob", group), request(message));

            assertThat(fake.received.get(10, TimeUnit.SECONDS).head()).isEqualTo("HEADERS SPAMC/1.5\r\nContent-length: "
                    + message.length + "\r\nUser: bob\r\n\r\n");
        }
    }

    // --- what is read

    @Test
    void headersModeReadsTheFoldedTestsList() throws Exception {
        try (FakeSpamd fake = FakeSpamd.replying(headersReply("Yes",
                "tests=GTUBE,MISSING_DATE,\r\n\tMISSING_MID,NO_RECEIVED autolearn=no\r\n\tautolearn_force=no")).start()) {
            SpamReport report = scan(client(fake.address(), SCAN, Mode.HEADERS), request(message("Test", "x")));

            assertThat(report.symbols()).extracting(SpamReport.Symbol::name)
                    .containsExactly("GTUBE", "MISSING_DATE", "MISSING_MID", "NO_RECEIVED");
            assertThat(report.score()).isEqualTo(15.2);
            assertThat(report.action()).isEqualTo(EngineAction.TAG);
        }
    }

    @Test
    void headersModeWithoutTestsHasNoSymbols() throws Exception {
        try (FakeSpamd fake = FakeSpamd.replying(headersReply("No", "tests=none")).start()) {
            SpamReport report = scan(client(fake.address(), SCAN, Mode.HEADERS), request(message("Test", "x")));

            assertThat(report.symbols()).isEmpty();
            assertThat(report.action()).isEqualTo(EngineAction.PASS);
        }
    }

    @Test
    void aReplyInPiecesIsPutTogether() throws Exception {
        try (FakeSpamd fake = FakeSpamd.trickling(symbolsReply("A_RULE,ANOTHER_RULE"), Duration.ofMillis(2)).start()) {
            SpamReport report = scan(client(fake.address(), SCAN, Mode.SYMBOLS), request(message("Test", "x")));

            assertThat(report.symbols()).extracting(SpamReport.Symbol::name).containsExactly("A_RULE", "ANOTHER_RULE");
        }
    }

    // --- failures

    @Test
    void nothingListeningIsUnavailable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        EngineFailure failure = failure(client("127.0.0.1:" + port, Duration.ofSeconds(5), Mode.SYMBOLS),
                request(message("Test", "x")), Duration.ofSeconds(5));

        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("127.0.0.1:" + port).contains("cannot connect");
    }

    @Test
    void aServerThatSaysNothingTimesOutAndIsHungUpOn() throws Exception {
        try (FakeSpamd fake = FakeSpamd.silent().start()) {
            Duration timeout = Duration.ofMillis(500);
            long started = System.nanoTime();
            EngineFailure failure = failure(client(fake.address(), timeout, Mode.SYMBOLS), request(message("Test", "x")),
                    timeout);

            assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(timeout);
            assertThat(fake.clientClosed.await(10, TimeUnit.SECONDS)).as("the client hung up").isTrue();
        }
    }

    @Test
    void aTricklingServerTimesOut() throws Exception {
        try (FakeSpamd fake = FakeSpamd.trickling(symbolsReply("GTUBE"), Duration.ofMillis(100)).start()) {
            Duration timeout = Duration.ofMillis(500);
            EngineFailure failure = failure(client(fake.address(), timeout, Mode.SYMBOLS), request(message("Test", "x")),
                    timeout);

            assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(fake.clientClosed.await(10, TimeUnit.SECONDS)).as("the client hung up").isTrue();
        }
    }

    /** A reply cut short is a broken connection (UNAVAILABLE), not a wrong one: what came was spamd's protocol. */
    @Test
    void halfAReplyThenCloseIsUnavailable() throws Exception {
        byte[] reply = symbolsReply("GTUBE,MISSING_DATE,MISSING_MID");
        byte[] half = java.util.Arrays.copyOf(reply, reply.length - 12);
        try (FakeSpamd fake = FakeSpamd.replyingAndClosing(half).start()) {
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(5), Mode.SYMBOLS),
                    request(message("Test", "x")), Duration.ofSeconds(5));

            assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(failure.getMessage()).contains("before the reply was complete");
        }
    }

    @Test
    void closedBeforeTheEndOfTheHeaderLinesIsUnavailable() throws Exception {
        try (FakeSpamd fake = FakeSpamd.replyingAndClosing(ascii("SPAMD/1.1 0 EX_OK\r\nContent-len")).start()) {
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(5), Mode.SYMBOLS),
                    request(message("Test", "x")), Duration.ofSeconds(5));

            assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
        }
    }

    /** Known at the first bytes: the client does not wait for the close or the timeout. */
    @Test
    void garbageIsProtocol() throws Exception {
        try (FakeSpamd fake = FakeSpamd.replying(ascii("HTTP/1.1 400 Bad Request\r\n\r\n")).start()) {
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(30), Mode.SYMBOLS),
                    request(message("Test", "x")), Duration.ZERO);

            assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(failure.getMessage()).contains("not a spamd reply: HTTP/1.1 400");
        }
    }

    @Test
    void anErrorCodeIsProtocol() throws Exception {
        try (FakeSpamd fake = FakeSpamd.replyingAndClosing(
                ascii("SPAMD/1.0 76 Bad header line: (Content-Length mismatch: Expected 100 bytes, got 5 bytes)\r\n"))
                .start()) {
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(5), Mode.SYMBOLS),
                    request(message("Test", "x")), Duration.ofSeconds(5));

            assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(failure.getMessage()).contains("SPAMD/1.0 76 Bad header line");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SPAMD/1.1 0 EX_OK\r\nContent-length: 5\r\n\r\nGTUBE", // no Spam: line
            "SPAMD/1.1 0 EX_OK\r\nContent-length: 5\r\nSpam: maybe\r\n\r\nGTUBE",
            "SPAMD/1.1 0 EX_OK\r\nContent-length: five\r\nSpam: True ; 1.0 / 5.0\r\n\r\nGTUBE",
            "SPAMD/1.1 0 EX_OK\r\nContent-length: 10\r\nSpam: True ; 1.0 / 5.0\r\n\r\nGTUBE RULE",
            "SPAMD/1.1 0 EX_OK\r\nno colon\r\n\r\n",
            "SPAMD/one 0 EX_OK\r\n\r\n",
    })
    void aReplyThatIsNotTheProtocolIsProtocol(String reply) throws Exception {
        try (FakeSpamd fake = FakeSpamd.replyingAndClosing(ascii(reply)).start()) {
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(5), Mode.SYMBOLS),
                    request(message("Test", "x")), Duration.ofSeconds(5));

            assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
        }
    }

    @Test
    void aReplyOverTheBoundIsProtocol() throws Exception {
        byte[] huge = new byte[SpamdClient.MAX_REPLY + 1];
        java.util.Arrays.fill(huge, (byte) 'A');
        byte[] head = ascii("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1.0 / 5.0\r\n\r\n"); // no length: up to the close
        byte[] reply = new byte[head.length + huge.length];
        System.arraycopy(head, 0, reply, 0, head.length);
        System.arraycopy(huge, 0, reply, head.length, huge.length);
        try (FakeSpamd fake = FakeSpamd.replying(reply).start()) {
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(30), Mode.SYMBOLS),
                    request(message("Test", "x")), Duration.ZERO);

            assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(failure.getMessage()).contains("reply longer than");
        }
        try (FakeSpamd fake = FakeSpamd.replying(ascii("SPAMD/1.1 0 EX_OK\r\nContent-length: 300000\r\n"
                + "Spam: True ; 1.0 / 5.0\r\n\r\n")).start()) {
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(30), Mode.SYMBOLS),
                    request(message("Test", "x")), Duration.ZERO);

            assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
        }
    }

    @Test
    void aMessageThatCannotBeOpenedIsUnavailableWithItsIOException() throws Exception {
        try (FakeSpamd fake = FakeSpamd.silent().start()) {
            MessageSource broken = () -> {
                throw new IOException("spool file gone");
            };
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(5), Mode.SYMBOLS),
                    request(broken, 100), Duration.ofSeconds(5));

            assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(failure.getCause()).isInstanceOf(IOException.class).hasMessage("spool file gone");
            assertThat(fake.clientClosed.await(10, TimeUnit.SECONDS)).as("the client hung up").isTrue();
        }
    }

    @Test
    void aMessageShorterThanItsSizeIsUnavailableWithAnIOException() throws Exception {
        try (FakeSpamd fake = FakeSpamd.silent().start()) {
            byte[] message = message("Test", "x");
            EngineFailure failure = failure(client(fake.address(), Duration.ofSeconds(5), Mode.SYMBOLS),
                    request(() -> new ByteArrayInputStream(message), message.length + 100L), Duration.ofSeconds(5));

            assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(failure.getCause()).isInstanceOf(IOException.class);
            assertThat(failure.getMessage()).contains("the message ended after " + message.length + " bytes");
        }
    }

    @Test
    void closingTheClientEndsItsScans() throws Exception {
        try (FakeSpamd fake = FakeSpamd.silent().start()) {
            SpamdClient client = client(fake.address(), Duration.ofSeconds(60), Mode.SYMBOLS);
            CompletableFuture<SpamReport> scan = client.scan(request(message("Test", "x"))).toCompletableFuture();
            fake.received.get(10, TimeUnit.SECONDS);

            client.close();

            assertThatThrownBy(() -> scan.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(EngineFailure.class)
                    .satisfies(e -> assertThat(((EngineFailure) e).kind()).isEqualTo(Kind.UNAVAILABLE));
            assertThat(fake.clientClosed.await(10, TimeUnit.SECONDS)).as("the client hung up").isTrue();
        }
    }

    // --- configuration

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:783", "[::1]:783", "localhost:783", "spamd.example.org:11333", "10.1.2.3:1"})
    void goodAddresses(String hostPort) {
        assertThat(client(hostPort, SCAN, Mode.SYMBOLS).name()).isEqualTo("spamassassin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "127.0.0.1", "::1:783", "::1", "[::1]783", "[::1]", "[localhost]:783",
            "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:", "127.0.0.1:78a", ":783", "bad host:783",
            "host_name:783"})
    void badAddresses(String hostPort) {
        assertThatThrownBy(() -> client(hostPort, SCAN, Mode.SYMBOLS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spamd address");
    }

    @Test
    void otherBadArguments() {
        assertThatThrownBy(() -> client(null, SCAN, Mode.SYMBOLS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> client("127.0.0.1:783", Duration.ZERO, Mode.SYMBOLS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> client("127.0.0.1:783", SCAN, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mode");
        assertThatThrownBy(() -> new SpamdClient("127.0.0.1:783", SCAN, Mode.SYMBOLS, "bob smith", group))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> new SpamdClient("127.0.0.1:783", SCAN, Mode.SYMBOLS, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event loop");
        assertThatThrownBy(() -> SpamdClient.withOwnEventLoop("127.0.0.1", SCAN, Mode.SYMBOLS, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no port");
    }

    // --- helpers

    private static SpamdClient client(String hostPort, Duration timeout, Mode mode) {
        return new SpamdClient(hostPort, timeout, mode, group);
    }

    private static SpamReport scan(SpamdClient client, ScanRequest request) throws Exception {
        try {
            return client.scan(request).toCompletableFuture().get(SCAN.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("scan failed: " + e.getCause() + "; spamd's log: " + spamd.log(), e.getCause());
        }
    }

    /** The failure the scan ends with, within {@code timeout} and {@link #SLACK}. */
    private static EngineFailure failure(SpamdClient client, ScanRequest request, Duration timeout)
            throws InterruptedException {
        CompletableFuture<SpamReport> scan = client.scan(request).toCompletableFuture();
        try {
            SpamReport report = scan.get(timeout.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
            return fail("a report where a failure was expected: " + report);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(EngineFailure.class);
            return (EngineFailure) e.getCause();
        } catch (TimeoutException e) {
            return fail("the scan did not end within " + timeout.plus(SLACK));
        }
    }

    private static ScanRequest request(byte[] message) {
        return request(() -> new ByteArrayInputStream(message), message.length);
    }

    private static ScanRequest request(MessageSource source, long size) {
        return new ScanRequest(source, size, InetAddress.getLoopbackAddress(), "mail.example.org", null,
                "alice@example.org", List.of("bob@example.com"), "4ABC", null, true);
    }

    /** A well-formed message, as the listener passes it on: its Received line first. */
    private static byte[] message(String subject, String body) {
        return ascii("Received: from mail.example.org (mail.example.org [192.0.2.1])\r\n"
                + "\tby mx.example.com with ESMTPS id 4ABC; Fri, 4 Dec 2026 13:00:00 +0000\r\n"
                + "Date: Fri, 4 Dec 2026 13:00:00 +0000\r\n"
                + "From: Alice <alice@example.org>\r\n"
                + "To: Bob <bob@example.com>\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <20261204130000.1234@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + body + "\r\n");
    }

    private static byte[] symbolsReply(String symbols) {
        return ascii("SPAMD/1.1 0 EX_OK\r\nContent-length: " + symbols.length() + "\r\nSpam: True ; 15.2 / 5.0\r\n\r\n"
                + symbols);
    }

    private static byte[] headersReply(String yesNo, String tests) {
        String headers = "X-Spam-Checker-Version: SpamAssassin 4.0.1 (2024-03-25) on test\r\n"
                + "X-Spam-Status: " + yesNo + ", score=15.2 required=5.0 " + tests + " version=4.0.1\r\n"
                + "Subject: Test\r\n\r\n";
        return ascii("SPAMD/1.1 0 EX_OK\r\nContent-length: " + headers.length() + "\r\nSpam: "
                + (yesNo.equals("Yes") ? "True" : "False") + " ; 15.2 / 5.0\r\n\r\n" + headers);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A spamd impostor: it reads a SPAMC request (header lines, then Content-length bytes), then behaves as told;
     * it sees when the client hangs up. Each connection has a thread; closing the server closes them.
     */
    private static final class FakeSpamd implements AutoCloseable {

        record Request(String head, byte[] body) {
        }

        private interface Behaviour {
            void serve(Socket socket, OutputStream out) throws IOException, InterruptedException;
        }

        private final Behaviour behaviour;
        private ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final CompletableFuture<Request> received = new CompletableFuture<>();
        final CountDownLatch clientClosed = new CountDownLatch(1);

        private FakeSpamd(Behaviour behaviour) {
            this.behaviour = behaviour;
        }

        /** Answers nothing, and keeps the connection open. */
        static FakeSpamd silent() {
            return new FakeSpamd((socket, out) -> { });
        }

        /** Answers, and keeps the connection open. */
        static FakeSpamd replying(byte[] reply) {
            return new FakeSpamd((socket, out) -> out.write(reply));
        }

        /** Answers and hangs up. */
        static FakeSpamd replyingAndClosing(byte[] reply) {
            return new FakeSpamd((socket, out) -> {
                out.write(reply);
                socket.close();
            });
        }

        /** Answers a byte at a time, {@code pause} apart, then keeps the connection open. */
        static FakeSpamd trickling(byte[] reply, Duration pause) {
            return new FakeSpamd((socket, out) -> {
                for (byte b : reply) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(pause.toMillis()); // the pace is the point
                }
            });
        }

        FakeSpamd start() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "fake-spamd");
            acceptor.setDaemon(true);
            acceptor.start();
            return this;
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    Thread session = new Thread(() -> serve(socket), "fake-spamd-session");
                    session.setDaemon(true);
                    session.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        clientClosed.countDown();
                        return;
                    }
                    head.write(b);
                }
                String text = head.toString(StandardCharsets.US_ASCII);
                int at = text.indexOf("Content-length: ");
                int length = Integer.parseInt(text.substring(at + 16, text.indexOf('\r', at)));
                byte[] body = in.readNBytes(length);
                received.complete(new Request(text, body));
                behaviour.serve(socket, socket.getOutputStream());
                if (!socket.isClosed()) {
                    while (in.read() >= 0) {
                        // what the client still sends: nothing is expected
                    }
                }
                clientClosed.countDown();
            } catch (IOException e) {
                clientClosed.countDown(); // reset by the client
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
