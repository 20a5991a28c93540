package dev.mailgateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.spool.AdminAccess;
import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.BrokerClients;
import dev.mailgateway.testing.EventCollector;
import dev.mailgateway.testing.ShippedRoutes;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies to a queue by a rule in routes/rules.yaml (the shipped routes with one rule added, as an operator adds it):
 * every message to invoices@example.com onto erp.invoices, which nobody reads. Mail goes on being delivered, the
 * copy queue fills with exactly one copy of each matching message (the spooled bytes and envelope), and a message
 * the rule does not match is not copied. Events are switched off here: none reaches a consumer queue.
 */
class CopiesThroughShippedRoutesTest {

    /** The rule, a step of the inbound route (indented as its steps are), as its comment shows it. */
    private static final String RULE = String.join("\n",
            "        - to:",
            "            uri: mail-event:copy",
            "            parameters:",
            "              queue: erp.invoices",
            "              recipients: \"invoices@example.com\"",
            "");

    @TempDir
    Path dir;

    /** The shipped routes, with the rule added to the operator's rules (routes/rules.yaml), as its comment shows. */
    private Path routesWithRule() throws Exception {
        Path routes = ShippedRoutes.copyTo(dir);
        Path rules = routes.resolve("rules.yaml");
        String text = Files.readString(rules);
        assertThat(text).as("the rules route's steps end the file").endsWith("'submission'\").\n");
        Files.writeString(rules, text + RULE);
        return routes;
    }

    private static List<Message> browse(Session session, String queue) throws JMSException {
        try (QueueBrowser browser = session.createBrowser(new ActiveMQQueue(queue))) {
            return Collections.list(browser.getEnumeration()).stream().map(m -> (Message) m).toList();
        }
    }

    @Test
    void everyMatchingMessageIsCopiedOnceWhileMailIsDeliveredAndAnotherIsNot() throws Exception {
        Path routes = routesWithRule();
        Path data = dir.resolve("data");
        int copies = 12;
        try (Sink next = Sink.start("");
                TestGateway gateway = TestGateway.start(data, Map.of(
                        ShippedRoutes.from(routes).getKey(), ShippedRoutes.from(routes).getValue(),
                        "gateway.transport-map", "example.com=" + next.address() + ",example.com.test=" + next.address(),
                        "gateway.events.enabled", "false"));
                EventCollector events = EventCollector.start(data, "copies-test")) {
            Map<String, String> tokens = new HashMap<>();
            Map<String, String> envelopes = new HashMap<>();
            String other;
            try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                other = Archive.queueId(client.sendMessage("erp@src.test", "X-Test-Token: other\r\n\r\nnot for erp\r\n",
                        "other@example.com", "x-invoices@example.com", "invoices@example.com.test"));
                for (int i = 0; i < copies; i++) {
                    String[] recipients = i % 2 == 0 ? new String[] {"invoices@example.com"}
                            : new String[] {"someone@example.com", "Invoices+march@Example.COM"};
                    String id = Archive.queueId(client.sendMessage("erp@src.test",
                            "X-Test-Token: c" + i + "\r\n\r\ninvoice " + i + "\r\n", recipients));
                    tokens.put(id, "c" + i);
                    envelopes.put(id, String.join("\n", recipients));
                }
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> next.tokens().size() >= copies + 1);

            AdminAccess.Access access = AdminAccess.read(data.resolve("broker"));
            try (Connection connection = BrokerClients.client(access.url(), access.username(), access.password())
                    .createConnection()) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                await().atMost(Duration.ofSeconds(60)).until(() -> browse(session, "erp.invoices").size() >= copies
                        && browse(session, "mail.copies").isEmpty());
                List<Message> copied = browse(session, "erp.invoices");
                assertThat(copied).hasSize(copies);
                List<String> copiedIds = new ArrayList<>();
                for (Message copy : copied) {
                    String queueId = copy.getStringProperty("SmtpdQueueId");
                    copiedIds.add(queueId);
                    assertThat(copy).isInstanceOf(BytesMessage.class);
                    assertThat(copy.getStringProperty("SmtpdSender")).isEqualTo("erp@src.test");
                    assertThat(copy.getStringProperty("SpoolRecipients")).isEqualTo(envelopes.get(queueId));
                    assertThat(copy.getLongProperty("SpoolQueuedAt")).isPositive();
                    byte[] bytes = new byte[(int) ((BytesMessage) copy).getBodyLength()];
                    ((BytesMessage) copy).readBytes(bytes);
                    String token = tokens.get(queueId);
                    Sink.Received delivered = next.received().stream().filter(r -> new String(r.content(),
                            StandardCharsets.UTF_8).contains("X-Test-Token: " + token + "\r\n")).findFirst().orElseThrow();
                    assertThat(bytes).as("the bytes spooled, which the next hop got too").isEqualTo(delivered.content());
                }
                assertThat(copiedIds).as("each matching message once").containsExactlyInAnyOrderElementsOf(tokens.keySet());
                assertThat(copiedIds).doesNotContain(other);
                assertThat(browse(session, "DLQ.mail.copies")).isEmpty();
            }
            assertThat(events.events()).as("events are off").isEmpty();
        }
    }
}
