package dev.mailgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.ScriptedServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.Tarpit;
import dev.mailgateway.testing.TestCertificates;
import dev.mailgateway.testing.TestListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recipient verification against real SMTP servers: the next hop's reply to RCPT is the answer, and anything that
 * keeps us from hearing it (a dead or silent next hop, a refused null sender, TLS the policy requires and the next
 * hop lacks) is a 450, never a 5xx; no message is ever sent.
 */
class RecipientProbeTest {

    /** How long a test waits for an answer: far beyond any deadline here, for a loaded machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private CamelContext context;
    private SmtpRelayComponent component;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
        component = context.getComponent("smtp-relay", SmtpRelayComponent.class);
        SmtpRelayConfiguration config = component.getConfiguration();
        config.setHeloName("relay.gateway.test");
        config.setTls(TlsPolicy.NONE);
        config.setMx(false);
        config.setVerifyTimeout(Duration.ofSeconds(30)); // a loaded machine is slow; tests of the deadline set theirs
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    /** The component's probe, with these settings on top of the test's defaults. */
    private RecipientProbe probe(Consumer<SmtpRelayConfiguration> settings) {
        settings.accept(component.getConfiguration());
        return component.recipientProbe();
    }

    private static RemoteReply answer(CompletionStage<RemoteReply> stage) throws Exception {
        return stage.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static MailAddress address(String mailbox) {
        return MailAddress.parse(mailbox, false);
    }

    /** A server that answers everything 250 (354 to DATA), except what {@code special} says. */
    private static ScriptedServer.Script plain(java.util.function.Function<String, String> special) {
        return (command, connection) -> {
            String answer = special.apply(command);
            if (answer != null) {
                return answer;
            }
            return command.equals("DATA") ? "354 go ahead" : command.startsWith("EHLO") ? "250 scripted.test"
                    : command.equals("QUIT") ? "221 2.0.0 bye" : "250 2.0.0 ok";
        };
    }

    /** A port nothing listens on: taken from the system, then given back. */
    private static int closedPort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    @Test
    void theNextHopsReplyToRcptIsTheAnswer() throws Exception {
        try (Sink sink = Sink.start("tls=none")) {
            RecipientProbe probe = probe(c -> c.setTransportMap("dest.test=" + sink.address()));
            assertThat(answer(probe.probe(address("alice@dest.test"))).code()).isEqualTo(250);
            assertThat(answer(probe.probe(address("perm.bob@dest.test")))).satisfies(r -> {
                assertThat(r.code()).isEqualTo(550);
                assertThat(r.status()).isEqualTo("5.1.1");
            });
            assertThat(answer(probe.probe(address("temp.carol@dest.test")))).satisfies(r -> {
                assertThat(r.code()).isEqualTo(450);
                assertThat(r.status()).isEqualTo("4.2.0");
            });
            assertThat(sink.received()).as("nothing is ever delivered").isEmpty();
        }
    }

    @Test
    void theConversationIsNullSenderRcptResetQuitAndNeverData() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(plain(c -> c.startsWith("RCPT TO:<nobody@")
                ? "550 5.1.1 User unknown" : null))) {
            RecipientProbe probe = probe(c -> c.setTransportMap("dest.test=" + server.address()));
            RemoteReply unknown = answer(probe.probe(address("nobody@dest.test")));
            assertThat(unknown.toString()).isEqualTo("550 5.1.1 User unknown");
            Awaitility.await().atMost(PATIENCE).until(() -> server.commands().contains("QUIT"));
            assertThat(server.commands()).containsExactly("EHLO relay.gateway.test", "MAIL FROM:<>",
                    "RCPT TO:<nobody@dest.test>", "RSET", "QUIT");
            assertThat(answer(probe.probe(address("somebody@dest.test"))).toString()).isEqualTo("250 2.0.0 ok");
            Awaitility.await().atMost(PATIENCE).until(() -> server.connections() == 2
                    && server.commands().stream().filter("QUIT"::equals).count() == 2);
            assertThat(server.commands()).doesNotContain("DATA", ".");
        }
    }

    @Test
    void aNextHopThatNeverAnswersIsNotKnownWithinTheDeadline() throws Exception {
        try (Tarpit tarpit = Tarpit.start(Duration.ofMinutes(10))) {
            RecipientProbe probe = probe(c -> {
                c.setTransportMap("slow.test=" + tarpit.address());
                c.setVerifyTimeout(Duration.ofSeconds(1));
            });
            long start = System.nanoTime();
            RemoteReply reply = answer(probe.probe(address("x@slow.test")));
            assertThat(reply.code()).isEqualTo(450);
            assertThat(reply.status()).isEqualTo("4.4.2");
            assertThat(reply.text()).contains("no answer").contains("within 1s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the deadline, not the 5 min greeting timeout")
                    .isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void theDeadlineClosesTheConnectionAndFreesTheThread() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Sink sink = Sink.start("tls=none")) {
            // a next hop that takes the connection, says nothing, and notices when we hang up
            CompletableFuture<Void> hungUp = CompletableFuture.runAsync(() -> {
                try (Socket socket = silent.accept(); InputStream in = socket.getInputStream()) {
                    while (in.read() >= 0) {
                        // nothing comes before a greeting: wait for the end
                    }
                } catch (IOException e) {
                    // reset by the peer: hung up too
                }
            });
            SmtpRelayConfiguration config = component.getConfiguration();
            config.setTransportMap("silent.test=127.0.0.1:" + silent.getLocalPort() + ",dest.test=" + sink.address());
            config.setVerifyTimeout(Duration.ofSeconds(5)); // ample to connect, far below the 5 min greeting timeout
            RecipientProbe probe = new RecipientProbe(config, context, 1, 10); // one thread: the silent one holds it
            probe.start();
            try {
                RemoteReply reply = answer(probe.probe(address("x@silent.test")));
                assertThat(reply.code()).isEqualTo(450);
                assertThat(reply.text()).contains("within 5s");
                hungUp.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                config.setVerifyTimeout(Duration.ofSeconds(30)); // read at each probe: room for a loaded machine
                assertThat(answer(probe.probe(address("y@dest.test"))).code()).as("the thread is free again")
                        .isEqualTo(250);
            } finally {
                probe.stop();
            }
        }
    }

    @Test
    void aProbeStillWaitingForAThreadAtItsDeadlineIsAnsweredThen() throws Exception {
        try (Tarpit tarpit = Tarpit.start(Duration.ofMinutes(10))) {
            SmtpRelayConfiguration config = component.getConfiguration();
            config.setTransportMap("slow.test=" + tarpit.address());
            config.setVerifyTimeout(Duration.ofMinutes(5));
            RecipientProbe probe = new RecipientProbe(config, context, 1, 10);
            probe.start();
            try {
                probe.probe(address("a@slow.test"));
                Awaitility.await().atMost(PATIENCE).until(() -> tarpit.connections() == 1); // a holds the thread
                config.setVerifyTimeout(Duration.ofSeconds(1));
                RemoteReply waited = answer(probe.probe(address("b@slow.test")));
                assertThat(waited.code()).isEqualTo(450);
                assertThat(waited.text()).endsWith("no answer within 1s");
                assertThat(tarpit.connections()).as("never asked").isEqualTo(1);
            } finally {
                probe.stop();
            }
        }
    }

    @Test
    void aNextHopThatCannotBeReachedIsNotKnown() throws Exception {
        String nobody = "127.0.0.1:" + closedPort();
        RecipientProbe probe = probe(c -> c.setTransportMap("dest.test=" + nobody));
        RemoteReply reply = answer(probe.probe(address("x@dest.test")));
        assertThat(reply.code()).isEqualTo(450);
        assertThat(reply.status()).isEqualTo("4.4.1");
        assertThat(reply.text()).startsWith("recipient not verified: connect to");
    }

    @Test
    void aNextHopThatRefusesTheNullSenderIsNotKnownNotARefusal() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(plain(c -> c.startsWith("MAIL")
                ? "550 5.7.1 We do not accept mail from <>" : null))) {
            RecipientProbe probe = probe(c -> c.setTransportMap("dest.test=" + server.address()));
            RemoteReply reply = answer(probe.probe(address("x@dest.test")));
            assertThat(reply.code()).isEqualTo(450);
            assertThat(reply.status()).isEqualTo("4.7.1");
            assertThat(reply.text()).contains("refuses the null sender").contains("550 5.7.1");
        }
    }

    @Test
    void aGreetingRefusedWith5xxIsNotKnown() throws Exception {
        try (Sink closed = Sink.start("tls=none").refuseGreeting("554 5.7.1 No service")) {
            RemoteReply reply = answer(probe(c -> c.setTransportMap("dest.test=" + closed.address()))
                    .probe(address("x@dest.test")));
            assertThat(reply.code()).isEqualTo(450);
            assertThat(reply.text()).contains("refused to talk to me");
        }
    }

    @Test
    void concurrentProbesOfOneAddressShareOneConversation() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = ScriptedServer.start(plain(c -> {
            if (c.startsWith("RCPT")) {
                try {
                    release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS); // the answer is held until both asked
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        }))) {
            RecipientProbe probe = probe(c -> c.setTransportMap("dest.test=" + server.address()));
            CompletionStage<RemoteReply> first = probe.probe(address("same@dest.test"));
            Awaitility.await().atMost(PATIENCE).until(() -> server.commands().contains("RCPT TO:<same@dest.test>"));
            CompletionStage<RemoteReply> second = probe.probe(address("same@DEST.test"));
            release.countDown();
            assertThat(answer(first).code()).isEqualTo(250);
            assertThat(answer(second).code()).isEqualTo(250);
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.commands()).filteredOn(c -> c.startsWith("RCPT")).hasSize(1);
        }
    }

    @Test
    void encryptPolicyIsHonouredAsDeliveryHonoursIt() throws Exception {
        try (Sink plain = Sink.start("tls=none"); Sink tls = Sink.start("")) {
            RecipientProbe probe = probe(c -> {
                c.setTransportMap("plain.test=" + plain.address() + ",tls.test=" + tls.address());
                c.setTlsPolicies("plain.test=encrypt,tls.test=encrypt");
            });
            RemoteReply refused = answer(probe.probe(address("x@plain.test")));
            assertThat(refused.code()).isEqualTo(450);
            assertThat(refused.status()).isEqualTo("4.7.4");
            assertThat(answer(probe.probe(address("x@tls.test"))).code()).as("STARTTLS offered: asked over TLS")
                    .isEqualTo(250);
        }
    }

    @Test
    void theSmarthostIsAskedWithItsPasswordOverVerifiedTls() throws Exception {
        TestCertificates.Pem certificate = TestCertificates.pem(dir, "localhost");
        Path users = dir.resolve("users");
        Files.writeString(users, "relay:" + PasswordHash.bcrypt("s3cret") + "\n");
        // without AUTH this server relays for nobody: a 250 means the probe authenticated, which needs TLS
        try (TestListener smarthost = TestListener.start("tls=required&auth=required&trustedNetworks=&authUsers="
                + users + "&tlsCertificate=" + certificate.certificate() + "&tlsKey=" + certificate.key())) {
            RecipientProbe probe = probe(c -> {
                c.setSmarthost("localhost:" + smarthost.port());
                c.setSmarthostUsername("relay");
                c.setSmarthostPassword("s3cret");
                c.setTlsCaFile(certificate.certificate().toString());
            });
            assertThat(answer(probe.probe(address("someone@anywhere.test"))).code()).isEqualTo(250);
            assertThat(smarthost.received()).isEmpty();
        }
    }

    @Test
    void theProbeAsksTheMxHostDeliveryWouldUse() throws Exception {
        int port = closedPort();
        try (DnsServer dns = DnsServer.start();
                Sink second = Sink.start("bind=127.0.0.3&port=" + port + "&tls=none")) {
            dns.mx("order.test", 10, "mx1.order.test").a("mx1.order.test", "127.0.0.2") // nobody listens there
                    .mx("order.test", 20, "mx2.order.test").a("mx2.order.test", "127.0.0.3");
            RecipientProbe probe = probe(c -> {
                c.setMx(true);
                c.setDnsServer(dns.address());
                c.setMxPort(port);
            });
            assertThat(answer(probe.probe(address("perm.x@order.test"))).code()).isEqualTo(550);
            assertThat(second.attempts("perm.x@order.test")).isEqualTo(1);
            RemoteReply nxdomain = answer(probe.probe(address("x@nxdomain.test")));
            assertThat(nxdomain.code()).as("a domain that does not exist is the DNS's word, not the recipient's")
                    .isEqualTo(450);
            assertThat(nxdomain.status()).isEqualTo("4.1.2");
        }
    }

    @Test
    void aFullQueueIsAnsweredAtOnce() throws Exception {
        try (Tarpit tarpit = Tarpit.start(Duration.ofMinutes(10))) {
            SmtpRelayConfiguration config = component.getConfiguration();
            config.setTransportMap("slow.test=" + tarpit.address());
            config.setVerifyTimeout(Duration.ofMinutes(5));
            RecipientProbe probe = new RecipientProbe(config, context, 1, 1);
            probe.start();
            try {
                probe.probe(address("a@slow.test"));
                Awaitility.await().atMost(PATIENCE).until(() -> tarpit.connections() == 1); // a has the thread
                probe.probe(address("b@slow.test")); // b has the queue
                CompletableFuture<RemoteReply> third = probe.probe(address("c@slow.test")).toCompletableFuture();
                assertThat(third).isDone();
                assertThat(third.get()).satisfies(r -> {
                    assertThat(r.code()).isEqualTo(450);
                    assertThat(r.status()).isEqualTo("4.4.5");
                });
            } finally {
                probe.stop();
            }
        }
    }

    @Test
    void stoppingTheRelayAnswersProbesUnderWay() throws Exception {
        try (Tarpit tarpit = Tarpit.start(Duration.ofMinutes(10))) {
            RecipientProbe probe = probe(c -> {
                c.setTransportMap("slow.test=" + tarpit.address());
                c.setVerifyTimeout(Duration.ofMinutes(5));
            });
            CompletionStage<RemoteReply> underWay = probe.probe(address("x@slow.test"));
            Awaitility.await().atMost(PATIENCE).until(() -> tarpit.connections() == 1);
            context.stop();
            assertThat(answer(underWay).status()).isEqualTo("4.3.2");
            assertThat(answer(probe.probe(address("y@slow.test"))).status()).isEqualTo("4.3.2");
        }
    }
}
