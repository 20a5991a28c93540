package dev.mailgateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.relay.NextHop;
import dev.mailgateway.relay.RecipientOutcome;
import dev.mailgateway.relay.RemoteReply;
import dev.mailgateway.relay.SmtpRelayConstants;
import dev.mailgateway.relay.TlsPolicy;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import dev.mailgateway.testing.BrokerClients;
import dev.mailgateway.testing.EventCollector;
import dev.mailgateway.testing.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocks on their own, in a route of a test's own, publishing to a real broker. */
class MailEventBlocksTest {

    @TempDir
    Path dir;

    private static RecipientOutcome outcome(String recipient, RecipientOutcome.Status status, int code, String text) {
        return new RecipientOutcome(MailAddress.parse(recipient, true), status,
                NextHop.parse("mx.dest.test:25", 25, TlsPolicy.MAY), new RemoteReply(code, null, text));
    }

    private static CamelContext context(TestBroker broker, RouteBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getComponent("mail-event", MailEventComponent.class).setConnectionFactory(
                BrokerClients.client(broker.url(), "gateway", broker.credentials().get("gateway.broker.password")));
        context.addRoutes(routes);
        context.start();
        return context;
    }

    @Test
    void eachTriedRecipientGetsAnEventAndDeferredPastTheMaximumAgeIsBounced() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
                EventCollector events = EventCollector.start(BrokerClients.client(broker.url(), "gateway",
                        broker.credentials().get("gateway.broker.password")), "blocks");
                CamelContext context = context(broker, new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:delivery").to("mail-event:delivery?maxAge=1h");
                    }
                })) {
            List<RecipientOutcome> outcomes = List.of(
                    outcome("ok@dest.test", RecipientOutcome.Status.DELIVERED, 250, "2.0.0 Ok"),
                    outcome("later@dest.test", RecipientOutcome.Status.DEFERRED, 451, "4.3.0 try later"),
                    outcome("never@dest.test", RecipientOutcome.Status.FAILED, 550, "no such user"),
                    outcome("busy@dest.test", RecipientOutcome.Status.WAITING, 451, "4.4.5 all connections busy"));
            Map<String, Object> young = new HashMap<>(Map.of(SmtpdConstants.QUEUE_ID, "YOUNG",
                    SmtpdConstants.SENDER, "", SpoolEnvelope.ATTEMPTS, 2,
                    SpoolEnvelope.QUEUED_AT, System.currentTimeMillis() - 90_000, SmtpRelayConstants.OUTCOMES, outcomes));
            context.createProducerTemplate().sendBodyAndHeaders("direct:delivery", new byte[0], young);
            Map<String, Object> old = new HashMap<>(young);
            old.put(SmtpdConstants.QUEUE_ID, "OLD");
            old.put(SpoolEnvelope.QUEUED_AT, System.currentTimeMillis() - Duration.ofHours(2).toMillis());
            context.createProducerTemplate().sendBodyAndHeaders("direct:delivery", new byte[0], old);

            await().atMost(Duration.ofSeconds(60)).until(() -> events.of("YOUNG").size() == 3
                    && events.of("OLD").size() == 3);
            assertThat(events.of("YOUNG")).as("the recipient that waited for a connection was not tried")
                    .noneMatch(e -> e.get("recipient").asText().equals("busy@dest.test"));
            JsonNode delivered = events.find("YOUNG", "delivered", "ok@dest.test");
            assertThat(delivered.get("sender").asText()).isEmpty();
            assertThat(delivered.get("remoteHost").asText()).isEqualTo("mx.dest.test:25");
            assertThat(delivered.get("remoteReply").asText()).isEqualTo("250 2.0.0 Ok");
            assertThat(delivered.get("attempt").asInt()).isEqualTo(3);
            assertThat(delivered.get("delaySeconds").asLong()).isBetween(90L, 150L);
            assertThat(events.find("YOUNG", "deferred", "later@dest.test").get("dsnStatus").asText())
                    .isEqualTo("4.0.0"); // no enhanced code in the reply: one of its class
            assertThat(events.find("YOUNG", "bounced", "never@dest.test").get("dsnStatus").asText()).isEqualTo("5.0.0");
            JsonNode expired = events.find("OLD", "bounced", "later@dest.test");
            assertThat(expired).as("deferred past the maximum age: bounced as the relay bounces it").isNotNull();
            assertThat(expired.get("dsnStatus").asText()).isEqualTo("4.4.7");
            assertThat(expired.get("remoteReply").asText()).isEqualTo("451 4.3.0 try later");
        }
    }

    @Test
    void copyMarksEachQueueOnceAndRefusesQueuesThatWouldSendElsewhere() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
                CamelContext context = context(broker, new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:copy").to("mail-event:copy?queue=erp.invoices").to("mail-event:copy?queue=audit")
                                .to("mail-event:copy?queue=erp.invoices");
                    }
                })) {
            Object marked = context.createProducerTemplate().request("direct:copy", e -> { })
                    .getMessage().getHeader(SpoolEnvelope.COPIES);
            assertThat(marked).isEqualTo("jms:queue:erp.invoices,jms:queue:audit");
            for (String queue : List.of("mail.relay", "mail.spool", "DLQ.mail.relay", "a,b", "erp.>", "erp.*", "",
                    "a b", ".x")) {
                assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:bad" + Math.abs(queue.hashCode())).to("mail-event:copy?queue=" + queue);
                    }
                })).as(queue).rootCause().hasMessageMatching("mail-event:copy (needs queue=NAME|cannot copy to).*");
            }
        }
    }

    @Test
    void copyForSomeRecipientsMarksOnlyMessagesToOneOfThem() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
                CamelContext context = context(broker, new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:only").to("mail-event:copy?queue=erp&recipients=invoices@example.com,"
                                + "*@billing.example.com");
                    }
                })) {
            Map<List<String>, Boolean> cases = Map.of(
                    List.of("invoices@example.com"), true,
                    List.of("someone@example.com", "INVOICES+2026@Example.Com"), true,
                    List.of("a@Billing.Example.com"), true,
                    List.of("x-invoices@example.com", "invoices@example.com.evil", "a@sub.billing.example.com"), false,
                    List.of("not an address"), false);
            cases.forEach((recipients, copied) -> {
                Object mark = context.createProducerTemplate().request("direct:only",
                        e -> e.getMessage().setHeader(SmtpdConstants.RECIPIENTS, recipients))
                        .getMessage().getHeader(SpoolEnvelope.COPIES);
                assertThat(mark).as(recipients.toString()).isEqualTo(copied ? "jms:queue:erp" : null);
            });
        }
    }

    @Test
    void anUnknownBlockOrDecisionIsRefusedAtStart() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
                CamelContext context = context(broker, new RouteBuilder() {
                    @Override
                    public void configure() {
                    }
                })) {
            assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:a").to("mail-event:acepted");
                }
            })).rootCause().hasMessageStartingWith("mail-event has no block acepted");
            assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:b").to("mail-event:accepted?decision=drop");
                }
            })).rootCause().hasMessageContaining("decision must be deliver or quarantine, not drop");
        }
    }
}
