package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A policy check written as a route (the endpoint's policyUri), asked at CONNECT, HELO, MAIL and RCPT. It answers
 * on a worker thread, later than the command arrived, so these tests also show that pipelined commands wait for
 * it and are answered in order.
 */
class PolicyRouteTest {

    private final List<Map<String, Object>> asked = new CopyOnWriteArrayList<>();
    private final List<Exchange> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private TestListener listener;

    @AfterEach
    void stop() {
        release.countDown();
        if (listener != null) {
            listener.close();
        }
    }

    private void start(String options) throws Exception {
        listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("policyUri=direct:policy" + (options.isEmpty() ? "" : "&" + options)))
                        .routeId("smtpd")
                        .process(e -> received.add(e.copy()))
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
                from("direct:policy")
                        .process(e -> asked.add(Map.copyOf(withoutNulls(e))))
                        // hop to another thread, so the answer really comes later
                        .to("seda:decide?waitForTaskToComplete=Always");
                from("seda:decide").process(PolicyRouteTest.this::decide);
            }
        });
    }

    private static Map<String, Object> withoutNulls(Exchange e) {
        Map<String, Object> headers = new java.util.HashMap<>(e.getMessage().getHeaders());
        headers.values().removeIf(java.util.Objects::isNull);
        return headers;
    }

    private void decide(Exchange e) throws InterruptedException {
        String stage = e.getMessage().getHeader(SmtpdConstants.STAGE, String.class);
        String helo = e.getMessage().getHeader(SmtpdConstants.HELO, String.class);
        String sender = e.getMessage().getHeader(SmtpdConstants.SENDER, String.class);
        String recipient = e.getMessage().getHeader(SmtpdConstants.RECIPIENT, String.class);
        String reply = switch (stage) {
            case "CONNECT" -> null;
            case "HELO" -> "bad.helo".equals(helo) ? "550 5.7.1 Bad HELO" : null;
            case "MAIL" -> sender.endsWith("@spam.test") ? "550 5.7.1 Sender rejected" : null;
            case "RCPT" -> switch (recipient) {
                case "later@dest.test" -> "450 4.2.0 Mailbox busy";
                case "mismatched@dest.test" -> "550 4.2.0 not a valid reply";
                case "boom@dest.test" -> throw new IllegalStateException("policy bug");
                case "hang@dest.test" -> {
                    release.await(60, TimeUnit.SECONDS);
                    yield null;
                }
                default -> null;
            };
            default -> "550 5.5.0 unexpected stage " + stage;
        };
        if (reply != null) {
            e.getMessage().setHeader(SmtpdConstants.REPLY, reply);
        }
    }

    @Test
    void routeSeesEachStageWithTheEnvelopeSoFar() throws Exception {
        start("");
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.command("RCPT TO:<c@dest.test>", "250 ");
        }
        assertThat(asked).extracting(m -> m.get(SmtpdConstants.STAGE))
                .containsExactly("CONNECT", "HELO", "MAIL", "RCPT", "RCPT");
        assertThat(asked.get(0)).containsEntry(SmtpdConstants.CLIENT_ADDRESS, "127.0.0.1")
                .containsEntry(SmtpdConstants.LISTENER, "test").containsKey(SmtpdConstants.CLIENT_PORT);
        assertThat(asked.get(1)).containsEntry(SmtpdConstants.HELO, "client.test");
        assertThat(asked.get(2)).containsEntry(SmtpdConstants.SENDER, "a@src.test");
        assertThat(asked.get(4)).containsEntry(SmtpdConstants.RECIPIENT, "c@dest.test")
                .containsEntry(SmtpdConstants.RECIPIENTS, List.of("b@dest.test"))
                .containsEntry(SmtpdConstants.SENDER, "a@src.test")
                .containsEntry(SmtpdConstants.HELO, "client.test");
    }

    @Test
    void routeRefusesAtHeloMailAndRcptWithItsOwnReplies() throws Exception {
        start("");
        try (SmtpClient client = SmtpClient.connect(listener.port())) {
            client.command("EHLO bad.helo", "550 5.7.1 Bad HELO");
            client.command("MAIL FROM:<a@src.test>", "503 5.5.1"); // the refused HELO did not count
            client.command("EHLO good.helo", "250 ");
            client.command("MAIL FROM:<x@spam.test>", "550 5.7.1 Sender rejected");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<later@dest.test>", "450 4.2.0 Mailbox busy");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.command("DATA", "354 ");
            client.sendRaw("x\r\n.\r\n");
            client.expect("250 ");
        }
        assertThat(received.get(0).getMessage().getHeader(SmtpdConstants.RECIPIENTS))
                .isEqualTo(List.of("b@dest.test"));
    }

    @Test
    void pipelinedCommandsWaitForTheRouteAndAreAnsweredInOrder() throws Exception {
        start("");
        try (SmtpClient client = SmtpClient.connect(listener.port())) {
            client.sendRaw("EHLO client.test\r\nMAIL FROM:<a@src.test>\r\nRCPT TO:<later@dest.test>\r\n"
                    + "RCPT TO:<b@dest.test>\r\nRCPT TO:<c@dest.test>\r\nDATA\r\n");
            client.expect("250 SMTPUTF8");
            client.expect("250 2.1.0");
            client.expect("450 4.2.0");
            client.expect("250 2.1.5");
            client.expect("250 2.1.5");
            client.expect("354 ");
            client.sendRaw("x\r\n.\r\n");
            client.expect("250 ");
        }
        assertThat(received.get(0).getMessage().getHeader(SmtpdConstants.RECIPIENTS))
                .isEqualTo(List.of("b@dest.test", "c@dest.test"));
    }

    @Test
    void brokenPolicyRouteRefusesTemporarily() throws Exception {
        start("");
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<boom@dest.test>", "451 4.3.5 Server configuration problem");
            client.command("RCPT TO:<mismatched@dest.test>", "451 4.3.5 Server configuration problem");
            client.command("RCPT TO:<b@dest.test>", "250 ");
        }
    }

    @Test
    void policyRouteThatDoesNotAnswerInTimeRefusesTemporarily() throws Exception {
        start("policyTimeout=1s");
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<hang@dest.test>", "451 4.3.5");
            release.countDown();
            client.command("RCPT TO:<b@dest.test>", "250 ");
        }
    }

    @Test
    void refusalAtConnectLeavesOnlyQuit() throws Exception {
        listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("policyUri=direct:policy")).routeId("smtpd")
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
                from("direct:policy").setHeader(SmtpdConstants.REPLY, constant("554 5.7.1 Your network is blocked"));
            }
        });
        try (SmtpClient client = new SmtpClient(listener.port())) {
            client.expect("554 5.7.1 Your network is blocked");
            client.command("EHLO client.test", "503 5.5.1");
            client.command("MAIL FROM:<a@src.test>", "503 5.5.1");
            client.command("QUIT", "221 ");
        }
    }

    @Test
    void temporaryRefusalAtConnectIs421AndClose() throws Exception {
        listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("policyUri=direct:policy")).routeId("smtpd")
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
                from("direct:policy").setHeader(SmtpdConstants.REPLY, constant("450 4.7.1 Too busy for you"));
            }
        });
        try (SmtpClient client = new SmtpClient(listener.port())) {
            client.expect("421 4.7.1 Too busy for you");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }
}
