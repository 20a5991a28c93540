package dev.mailgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import dev.mailgateway.testing.ScriptedServer;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.Tarpit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What bounds a delivery's hold on a thread: a time limit on every step (a greeting that never comes, a reply
 * trickled a byte at a time), a limit on connections per next hop (beyond it, mail waits instead of a thread),
 * suspension of a next hop that keeps failing, and outcomes instead of exceptions when something unexpected breaks.
 */
class NextHopLimitsTest {

    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private SmtpRelayProducer producer(String options) throws Exception {
        SmtpRelayProducer producer = (SmtpRelayProducer) context.getEndpoint(
                "smtp-relay:test?heloName=relay.gateway.test&tls=none&" + (options.contains("mx=") ? "" : "mx=false&")
                        + options).createProducer();
        producer.start();
        return producer;
    }

    @SuppressWarnings("unchecked")
    private List<RecipientOutcome> relay(SmtpRelayProducer producer, String... recipients) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("Subject: limits\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
        exchange.getMessage().setHeader(SmtpdConstants.QUEUE_ID, "TESTQUEUEID00000002");
        exchange.getMessage().setHeader(SmtpdConstants.SENDER, "a@src.test");
        exchange.getMessage().setHeader(SpoolEnvelope.RECIPIENTS, SpoolEnvelope.join(List.of(recipients)));
        producer.process(exchange);
        return exchange.getMessage().getHeader(SmtpRelayConstants.OUTCOMES, List.class);
    }

    @Test
    void aGreetingThatNeverComesIsCutAtTheGreetingTimeout() throws Exception {
        try (Tarpit tarpit = Tarpit.start(Duration.ofMinutes(10))) {
            SmtpRelayProducer producer = producer("greetingTimeout=1s&transportMap=slow.test=" + tarpit.address());
            long start = System.nanoTime();
            assertThat(relay(producer, "x@slow.test")).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
                assertThat(o.reply().toString()).contains("timed out");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aReplyTrickledAByteAtATimeIsCutAtItsDeadline() throws Exception {
        // each byte comes well within the read timeout; the greeting as a whole never does
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                    for (int i = 0; i < 600; i++) {
                        out.write(i == 0 ? '2' : i < 3 ? '0' : '-');
                        out.flush();
                        TimeUnit.MILLISECONDS.sleep(100); // the peer's pace, not the test waiting
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the relay hung up: that is the point
                }
            });
            SmtpRelayProducer producer = producer("greetingTimeout=2s&commandTimeout=1s&transportMap=slow.test=127.0.0.1:"
                    + server.getLocalPort());
            long start = System.nanoTime();
            assertThat(relay(producer, "x@slow.test")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut at the greeting's 2 s, not after 60 s")
                    .isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void mailForANextHopWithEveryConnectionBusyWaitsWithoutBeingTried() throws Exception {
        // the one connection allowed is stuck: the server took the data and never answers its end
        try (ScriptedServer stuck = ScriptedServer.start((c, n) -> c.equals(".") ? null
                : c.equals("DATA") ? "354 go ahead" : c.startsWith("EHLO") ? "250 stuck.test" : "250 2.0.0 ok")) {
            SmtpRelayProducer producer = producer("maxConnectionsPerDestination=1&destinationWait=200ms"
                    + "&transportMap=stuck.test=" + stuck.address());
            CompletableFuture<List<RecipientOutcome>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return relay(producer, "one@stuck.test");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stuck.commands().contains("."));
            assertThat(relay(producer, "two@stuck.test")).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(RecipientOutcome.Status.WAITING);
                assertThat(o.reply().toString()).contains("busy");
            });
            assertThat(stuck.connections()).isEqualTo(1);
            stuck.close();
            assertThat(first.get(60, TimeUnit.SECONDS)).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED));
        }
    }

    @Test
    void aNextHopThatKeepsFailingIsSuspendedAndItsMailDeferredWithoutConnecting() throws Exception {
        try (Sink refusing = Sink.start("")) {
            refusing.refuseGreeting("421 4.3.2 go away");
            SmtpRelayProducer producer = producer("suspendAfterFailures=3&suspendTime=10m&transportMap=down.test="
                    + refusing.address());
            for (int i = 0; i < 3; i++) {
                assertThat(relay(producer, "r" + i + "@down.test")).singleElement()
                        .satisfies(o -> assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED));
            }
            int connections = refusing.connections();
            assertThat(relay(producer, "later@down.test")).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
                assertThat(o.reply().text()).startsWith("delivery temporarily suspended");
            });
            assertThat(refusing.connections()).as("no new connection to a suspended next hop").isEqualTo(connections);
        }
    }

    @Test
    void anErrorWhileFindingOneDomainsNextHopDefersItsRecipientsAndKeepsTheOthersDelivered() throws Exception {
        try (Sink dest = Sink.start("")) {
            SmtpRelayProducer producer = producer("mx=true&transportMap=dest.test=" + dest.address());
            producer.resolveMxWith(domain -> {
                throw new IllegalStateException("resolver broke on " + domain);
            });
            List<RecipientOutcome> outcomes = relay(producer, "ok@dest.test", "x@broken.test");
            assertThat(outcomes).filteredOn(o -> o.recipient().toString().equals("ok@dest.test")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DELIVERED));
            assertThat(outcomes).filteredOn(o -> o.recipient().toString().equals("x@broken.test")).singleElement()
                    .satisfies(o -> {
                        assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
                        assertThat(o.reply().status()).isEqualTo("4.3.0");
                    });
            assertThat(dest.received()).hasSize(1);
        }
    }
}
