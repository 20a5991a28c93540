package dev.mailgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import dev.mailgateway.testing.ScriptedServer;
import dev.mailgateway.testing.Sink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The smtp-relay producer against real SMTP servers: exact envelopes and bytes, and an outcome per recipient. */
class SmtpRelayTest {

    private CamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    List<RecipientOutcome> relay(String options, String sender, List<String> recipients, byte[] content,
            Map<String, Object> headers) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(content);
        exchange.getMessage().setHeader(SmtpdConstants.QUEUE_ID, "TESTQUEUEID00000001");
        exchange.getMessage().setHeader(SmtpdConstants.SENDER, sender);
        exchange.getMessage().setHeader(SpoolEnvelope.RECIPIENTS, SpoolEnvelope.join(recipients));
        exchange.getMessage().getHeaders().putAll(headers);
        String tls = options.matches("(.*&)?tls=.*") ? "" : "tls=none&";
        String mx = options.matches("(.*&)?(mx|dnsServer)=.*") ? "" : "mx=false&";
        Exchange done = template.send("smtp-relay:test?heloName=relay.gateway.test&" + tls + mx + options, exchange);
        assertThat(done.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<RecipientOutcome> outcomes = done.getMessage().getHeader(SmtpRelayConstants.OUTCOMES, List.class);
        assertThat(outcomes.stream().map(o -> o.recipient().toString()).sorted().toList())
                .as("one outcome per recipient").isEqualTo(recipients.stream().sorted().toList());
        return outcomes;
    }

    private static Map<String, RecipientOutcome.Status> statuses(List<RecipientOutcome> outcomes) {
        return outcomes.stream().collect(Collectors.toMap(o -> o.recipient().toString(), RecipientOutcome::status));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void envelopeAndBytesGoOutExactlyPerNextHop() throws Exception {
        byte[] content = bytes("From: a@src.test\r\nTo: x@one.test\r\nSubject: exact\r\n\r\n.dot first\r\n..two dots\r\n"
                + ".\r\nlast line without end");
        try (Sink one = Sink.start(""); Sink two = Sink.start("")) {
            List<RecipientOutcome> outcomes = relay("transportMap=one.test=" + one.address() + ",two.test="
                    + two.address(), "a@src.test", List.of("x@one.test", "y@two.test", "z@one.test"), content, Map.of());
            assertThat(statuses(outcomes).values()).containsOnly(RecipientOutcome.Status.DELIVERED);
            assertThat(one.received()).hasSize(1);
            assertThat(one.received().get(0).recipients()).containsExactly("x@one.test", "z@one.test");
            assertThat(two.received().get(0).recipients()).containsExactly("y@two.test");
            assertThat(one.received().get(0).sender()).isEqualTo("a@src.test");
            byte[] expected = bytes(new String(content, StandardCharsets.UTF_8) + "\r\n");
            assertThat(one.received().get(0).content()).isEqualTo(expected);
            assertThat(two.received().get(0).content()).isEqualTo(expected);
        }
    }

    @Test
    void nullSenderAndBodyTypeAreReplayed() throws Exception {
        try (Sink sink = Sink.start("")) {
            relay("transportMap=dest.test=" + sink.address(), "", List.of("x@dest.test"),
                    bytes("Subject: caf\u00e9\r\n\r\n8bit\r\n"), Map.of(SmtpdConstants.BODY_TYPE, "8BITMIME"));
            assertThat(sink.received().get(0).sender()).isEmpty();
        }
    }

    @Test
    void eachRecipientGetsItsOwnOutcome() throws Exception {
        try (Sink sink = Sink.start("")) {
            Map<String, RecipientOutcome.Status> statuses = statuses(relay("transportMap=dest.test=" + sink.address(),
                    "a@src.test", List.of("ok@dest.test", "temp@dest.test", "perm@dest.test"), bytes("x\r\n"), Map.of()));
            assertThat(statuses).containsEntry("ok@dest.test", RecipientOutcome.Status.DELIVERED)
                    .containsEntry("temp@dest.test", RecipientOutcome.Status.DEFERRED)
                    .containsEntry("perm@dest.test", RecipientOutcome.Status.FAILED);
            assertThat(sink.received().get(0).recipients()).containsExactly("ok@dest.test");
        }
    }

    @Test
    void tooManyRecipientsContinueInAnotherTransaction() throws Exception {
        List<String> recipients = java.util.stream.IntStream.range(0, 8).mapToObj(i -> "r" + i + "@dest.test").toList();
        try (Sink sink = Sink.start("maxRecipients=3")) {
            Map<String, RecipientOutcome.Status> statuses = statuses(relay("transportMap=dest.test=" + sink.address(),
                    "a@src.test", recipients, bytes("x\r\n"), Map.of()));
            assertThat(statuses.values()).containsOnly(RecipientOutcome.Status.DELIVERED);
            assertThat(sink.received()).hasSize(3);
            assertThat(sink.received().stream().flatMap(r -> r.recipients().stream()).sorted().toList())
                    .isEqualTo(recipients);
            assertThat(sink.connections()).isEqualTo(1);
        }
    }

    @Test
    void atMostFiftyRecipientsGoInOneTransaction() throws Exception {
        List<String> recipients = java.util.stream.IntStream.range(0, 120).mapToObj(i -> "r" + i + "@dest.test").toList();
        try (Sink sink = Sink.start("maxRecipients=200")) {
            relay("transportMap=dest.test=" + sink.address(), "a@src.test", recipients, bytes("x\r\n"), Map.of());
            assertThat(sink.received()).extracting(r -> r.recipients().size()).containsExactly(50, 50, 20);
        }
    }

    @Test
    void connectionsAreReusedAcrossMessages() throws Exception {
        try (Sink sink = Sink.start("")) {
            for (int i = 0; i < 5; i++) {
                relay("transportMap=dest.test=" + sink.address(), "a@src.test", List.of("x" + i + "@dest.test"),
                        bytes("n" + i + "\r\n"), Map.of());
            }
            assertThat(sink.received()).hasSize(5);
            assertThat(sink.connections()).isEqualTo(1);
        }
    }

    @Test
    void unreachableNextHopDefersEveryone() {
        Map<String, RecipientOutcome.Status> statuses = statuses(relay("transportMap=dest.test=127.0.0.1:1",
                "a@src.test", List.of("x@dest.test", "y@dest.test"), bytes("x\r\n"), Map.of()));
        assertThat(statuses.values()).containsOnly(RecipientOutcome.Status.DEFERRED);
    }

    @Test
    void domainWithoutNextHopIsDeferred() throws Exception {
        try (Sink sink = Sink.start("")) {
            List<RecipientOutcome> outcomes = relay("transportMap=dest.test=" + sink.address(), "a@src.test",
                    List.of("x@dest.test", "y@nowhere.test"), bytes("x\r\n"), Map.of());
            assertThat(statuses(outcomes)).containsEntry("x@dest.test", RecipientOutcome.Status.DELIVERED)
                    .containsEntry("y@nowhere.test", RecipientOutcome.Status.DEFERRED);
        }
    }

    @Test
    void bareLineEndingsNeverReachTheWire() throws Exception {
        try (Sink strict = Sink.start("bareLineEndings=reject")) {
            Map<String, RecipientOutcome.Status> statuses = statuses(relay("transportMap=dest.test=" + strict.address(),
                    "a@src.test", List.of("x@dest.test"), bytes("Subject: x\n\nbare\rline\nend"), Map.of()));
            assertThat(statuses.values()).containsOnly(RecipientOutcome.Status.DELIVERED);
            assertThat(strict.received().get(0).content()).isEqualTo(bytes("Subject: x\r\n\r\nbare\r\nline\r\nend\r\n"));
        }
    }

    @Test
    void utf8MessageNeverGoesToANextHopWithoutSmtpUtf8() throws Exception {
        try (Sink legacy = Sink.start("smtpUtf8=false"); Sink modern = Sink.start("")) {
            String options = "transportMap=old.test=" + legacy.address() + ",new.test=" + modern.address();
            List<RecipientOutcome> outcomes = relay(options, "j\u00f6rg@src.test",
                    List.of("a@old.test", "b@new.test"), bytes("Subject: x\r\n\r\ny\r\n"),
                    Map.of(SmtpdConstants.SMTPUTF8, true));
            Map<String, RecipientOutcome> byRecipient = outcomes.stream()
                    .collect(Collectors.toMap(o -> o.recipient().toString(), o -> o));
            assertThat(byRecipient.get("a@old.test").status()).isEqualTo(RecipientOutcome.Status.FAILED);
            assertThat(byRecipient.get("a@old.test").reply().dsnStatus()).isEqualTo("5.6.7");
            assertThat(byRecipient.get("b@new.test").status()).isEqualTo(RecipientOutcome.Status.DELIVERED);
            assertThat(legacy.received()).isEmpty();
            assertThat(modern.received().get(0).sender()).isEqualTo("j\u00f6rg@src.test");
        }
    }

    @Test
    void messageLargerThanTheNextHopTakesFailsWithoutBeingSent() throws Exception {
        try (Sink small = Sink.start("maxMessageSize=100")) {
            List<RecipientOutcome> outcomes = relay("transportMap=dest.test=" + small.address(), "a@src.test",
                    List.of("x@dest.test"), bytes("Subject: big\r\n\r\n" + "y".repeat(200) + "\r\n"), Map.of());
            assertThat(outcomes.get(0).status()).isEqualTo(RecipientOutcome.Status.FAILED);
            assertThat(outcomes.get(0).reply().dsnStatus()).isEqualTo("5.3.4");
            assertThat(small.received()).isEmpty();
        }
    }

    @Test
    void opportunisticTlsIsUsedWhenOfferedAndRequiredTlsDefersWhenNot() throws Exception {
        try (Sink tls = Sink.start(""); Sink plain = Sink.start("tls=none")) {
            relay("tls=may&transportMap=dest.test=" + tls.address(), "a@src.test", List.of("x@dest.test"),
                    bytes("x\r\n"), Map.of());
            assertThat(tls.received().get(0).protocol()).isEqualTo("ESMTPS");
            relay("tls=may&transportMap=dest.test=" + plain.address(), "a@src.test", List.of("x@dest.test"),
                    bytes("x\r\n"), Map.of());
            assertThat(plain.received().get(0).protocol()).isEqualTo("ESMTP");
            List<RecipientOutcome> required = relay("tls=may&tlsPolicies=dest.test=encrypt&transportMap=dest.test="
                    + plain.address(), "a@src.test", List.of("y@dest.test"), bytes("x\r\n"), Map.of());
            assertThat(required.get(0).status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
            assertThat(required.get(0).reply().dsnStatus()).isEqualTo("4.7.4");
            assertThat(plain.received()).hasSize(1);
        }
    }

    @Test
    void smarthostGetsEveryDomainTheTransportMapDoesNotName() throws Exception {
        try (Sink smarthost = Sink.start(""); Sink corp = Sink.start("")) {
            relay("transportMap=corp.test=" + corp.address() + "&smarthost=" + smarthost.address()
                    + "&smarthostTls=none", "a@src.test", List.of("a@corp.test", "b@anywhere.test", "c@sub.corp.test"),
                    bytes("x\r\n"), Map.of());
            assertThat(corp.received().get(0).recipients()).containsExactly("a@corp.test");
            assertThat(smarthost.received().get(0).recipients()).containsExactly("b@anywhere.test", "c@sub.corp.test");
        }
    }

    /** A plain server's script (no PIPELINING): 250 to everything, 354 to DATA, except what {@code special} says. */
    private static ScriptedServer.Script plain(java.util.function.BiFunction<String, Integer, String> special) {
        return (command, connection) -> {
            String answer = special.apply(command, connection);
            if (answer != null) {
                return answer.isEmpty() ? null : answer;
            }
            return command.equals("DATA") ? "354 go ahead" : command.startsWith("EHLO") ? "250 scripted.test"
                    : command.equals("QUIT") ? "221 2.0.0 bye" : "250 2.0.0 ok";
        };
    }

    @Test
    void dataAnsweredWithoutGoAheadIsNeverCountedAsDelivered() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(plain((c, n) -> c.equals("DATA") ? "250 2.0.0 sure" : null))) {
            List<RecipientOutcome> outcomes = relay("transportMap=dest.test=" + server.address(), "a@src.test",
                    List.of("x@dest.test"), bytes("x\r\n"), Map.of());
            assertThat(outcomes).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
                assertThat(o.reply().status()).isEqualTo("4.5.0");
            });
        }
    }

    @Test
    void oldServersTooManyRecipients552IsTakenAs452() throws Exception {
        java.util.concurrent.atomic.AtomicInteger rcpts = new java.util.concurrent.atomic.AtomicInteger();
        try (ScriptedServer server = ScriptedServer.start(plain((c, n) ->
                c.startsWith("RCPT") && rcpts.incrementAndGet() == 2 ? "552 5.5.3 Too many recipients" : null))) {
            Map<String, RecipientOutcome.Status> statuses = statuses(relay("transportMap=dest.test=" + server.address(),
                    "a@src.test", List.of("x@dest.test", "y@dest.test"), bytes("x\r\n"), Map.of()));
            assertThat(statuses.values()).containsOnly(RecipientOutcome.Status.DELIVERED);
            assertThat(server.commands()).filteredOn(c -> c.startsWith("MAIL")).hasSize(2);
        }
    }

    @Test
    void serverClosing421IsNotReusedForTheNextMessage() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        // the first connection says 421 at the end of the data, and 421 to anything after: reusing it loses mail
        try (ScriptedServer server = ScriptedServer.start(plain((c, n) -> {
            if (n == 1 && c.equals(".")) {
                closing.set(true);
            }
            return n == 1 && closing.get() ? "421 4.3.2 shutting down" : null;
        }))) {
            String options = "transportMap=dest.test=" + server.address();
            assertThat(relay(options, "a@src.test", List.of("x@dest.test"), bytes("x\r\n"), Map.of()))
                    .extracting(RecipientOutcome::status).containsExactly(RecipientOutcome.Status.DEFERRED);
            assertThat(relay(options, "a@src.test", List.of("y@dest.test"), bytes("y\r\n"), Map.of()))
                    .extracting(RecipientOutcome::status).containsExactly(RecipientOutcome.Status.DELIVERED);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void serverThatStopsReadingTheMessageIsCutOffAndTheMailDeferred() throws Exception {
        byte[] big = bytes(("y".repeat(998) + "\r\n").repeat(16 * 1024)); // 16 MB: more than socket buffers hold
        try (ScriptedServer server = ScriptedServer.start(plain((c, n) -> c.equals("DATA") ? "!354 go ahead" : null))) {
            assertThat(relay("commandTimeout=2s&transportMap=dest.test=" + server.address(), "a@src.test",
                    List.of("x@dest.test"), big, Map.of())).singleElement().satisfies(o -> {
                        assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
                        assertThat(o.reply().toString()).contains("lost connection");
                    });
        }
    }
}
