package dev.mailgateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailgateway.spool.AdminAccess;
import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.BrokerClients;
import dev.mailgateway.testing.ShippedRoutes;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive through the shipped routes: a message kept by day as the bytes spooled (which the next hop got
 * too), beside its accepted event; a redelivered message that changes nothing; the inbound route's condition
 * deciding which messages are kept; and quarantined mail, archived too, but neither delivered nor copied.
 */
class ArchiveThroughShippedRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestGateway gateway(Sink next, Map<String, String> more) throws Exception {
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "gateway.archive.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address()));
        config.putAll(more);
        return TestGateway.start(dir.resolve("data"), config);
    }

    private static Session session(Connection connection) throws Exception {
        connection.start();
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private static int depth(Session session, String queue) throws Exception {
        try (QueueBrowser browser = session.createBrowser(new ActiveMQQueue(queue))) {
            return Collections.list(browser.getEnumeration()).size();
        }
    }

    @Test
    void theSpooledBytesAreKeptByDayBesideTheirEventAndARedeliveryChangesNothing() throws Exception {
        Path archive = dir.resolve("data/archive");
        try (Sink next = Sink.start(""); TestGateway gateway = gateway(next, Map.of())) {
            LocalDate before = LocalDate.now(ZoneOffset.UTC);
            String id;
            try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                id = Archive.queueId(client.sendMessage("a@src.test", "Message-ID: <arch@src.test>\r\n"
                        + "Subject: =?ISO-8859-1?Q?Quittung_f=FCr_M=E4rz?=\r\n\r\nbody \u00e9\r\n", "b@dest.test"));
            }
            Path eml = Archive.await(archive, id);
            LocalDate after = LocalDate.now(ZoneOffset.UTC);
            Path json = eml.resolveSibling(id + ".json");
            assertThat(json).exists();

            JsonNode event = JSON.readTree(json.toFile());
            assertThat(event.get("type").asText()).isEqualTo("accepted");
            assertThat(event.get("queueId").asText()).isEqualTo(id);
            assertThat(event.get("envelope").get("sender").asText()).isEqualTo("a@src.test");
            assertThat(event.get("envelope").get("recipients").get(0).asText()).isEqualTo("b@dest.test");
            assertThat(event.get("messageId").asText()).isEqualTo("<arch@src.test>");
            assertThat(event.get("subject").asText()).isEqualTo("Quittung für März");
            assertThat(event.get("listener").asText()).isEqualTo("mx");
            assertThat(event.get("decision").asText()).isEqualTo("deliver");
            assertThat(event.get("size").asLong()).isEqualTo(Files.size(eml));
            LocalDate day = LocalDate.ofInstant(Instant.parse(event.get("time").asText()), ZoneOffset.UTC);
            assertThat(day).isBetween(before, after);
            assertThat(archive.relativize(eml.getParent()).toString().replace('\\', '/'))
                    .isEqualTo(String.format("%04d/%02d/%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth()));

            await().atMost(Duration.ofSeconds(60)).until(() -> next.received().size() == 1);
            assertThat(Files.readAllBytes(eml)).as("the bytes spooled, which the next hop got").isEqualTo(
                    next.received().get(0).content());

            // the same message once more on mail.archive, as after a crash before the commit
            byte[] bytes = Files.readAllBytes(eml);
            String eventText = Files.readString(json);
            AdminAccess.Access access = AdminAccess.read(dir.resolve("data/broker"));
            try (Connection connection = BrokerClients.client(access.url(), access.username(), access.password())
                    .createConnection()) {
                Session session = session(connection);
                BytesMessage again = session.createBytesMessage();
                again.writeBytes("Subject: not what was archived\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                again.setStringProperty("SmtpdQueueId", id);
                again.setLongProperty("SpoolQueuedAt", Instant.parse(event.get("time").asText()).toEpochMilli());
                again.setStringProperty("MailAcceptedEvent", "{\"type\":\"accepted\",\"again\":true}");
                session.createProducer(new ActiveMQQueue("mail.archive")).send(again);
                await().atMost(Duration.ofSeconds(60)).until(() -> depth(session, "mail.archive") == 0);
                assertThat(depth(session, "DLQ.mail.archive")).isZero();
            }
            assertThat(Files.readAllBytes(eml)).isEqualTo(bytes);
            assertThat(Files.readString(json)).isEqualTo(eventText);
            try (Stream<Path> files = Files.list(eml.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(id + ".eml",
                        id + ".json");
            }
        }
    }

    @Test
    void theInboundRoutesConditionDecidesWhichMessagesAreKept() throws Exception {
        Path routes = ShippedRoutes.copyTo(dir);
        Path inbound = routes.resolve("inbound.yaml");
        String condition = "expression: \"'{{gateway.archive.enabled}}' == 'true'\"";
        assertThat(Files.readString(inbound)).contains(condition);
        Files.writeString(inbound, Files.readString(inbound).replace(condition,
                "expression: \"'{{gateway.archive.enabled}}' == 'true' && ${header.SmtpdSender} != 'private@src.test'\""));
        Path archive = dir.resolve("data/archive");
        try (Sink next = Sink.start("");
                TestGateway gateway = gateway(next, Map.ofEntries(ShippedRoutes.from(routes)))) {
            String kept;
            String notKept;
            try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                notKept = Archive.queueId(client.sendMessage("private@src.test", "Subject: p\r\n\r\nx\r\n",
                        "b@dest.test"));
                kept = Archive.queueId(client.sendMessage("public@src.test", "Subject: k\r\n\r\nx\r\n",
                        "b@dest.test"));
            }
            Archive.await(archive, kept);
            await().atMost(Duration.ofSeconds(60)).until(() -> next.received().size() == 2);
            AdminAccess.Access access = AdminAccess.read(dir.resolve("data/broker"));
            try (Connection connection = BrokerClients.client(access.url(), access.username(), access.password())
                    .createConnection()) {
                assertThat(depth(session(connection), "mail.archive")).isZero();
            }
            assertThat(Archive.file(archive, notKept)).isNull();
        }
    }

    @Test
    void quarantinedMailIsArchivedWithItsDecisionAndKeptButNeitherDeliveredNorCopied() throws Exception {
        // a copy rule for every message to b@dest.test, added to the operator's rules as its comment shows
        Path routes = ShippedRoutes.copyTo(dir);
        Path rulesRoute = routes.resolve("rules.yaml");
        String text = Files.readString(rulesRoute);
        assertThat(text).as("the rules route's steps end the file").endsWith("'submission'\").\n");
        Files.writeString(rulesRoute, text + String.join("\n",
                "        - to:",
                "            uri: mail-event:copy",
                "            parameters:",
                "              queue: audit.copies",
                "              recipients: \"b@dest.test\"",
                ""));
        Path contentRules = Files.writeString(dir.resolve("content-rules"),
                "QUARANTINE_ME     40    header:X-Test    \"quarantine me\"\n");
        Path archive = dir.resolve("data/archive");
        try (Sink next = Sink.start("tls=none")) {
            Map<String, String> config = UntrustedClients.config(dir,
                    "gateway.archive.enabled", "true",
                    "gateway.relay.enabled", "true",
                    "gateway.transport-map", "dest.test=" + next.address(),
                    "gateway.content.rules", contentRules.toString(),
                    "gateway.spam.quarantine-score", "30",
                    "gateway.spam.reject-score", "50",
                    "gateway.dmarc.enforce", "false");
            config.put(ShippedRoutes.from(routes).getKey(), ShippedRoutes.from(routes).getValue());
            try (TestGateway gateway = TestGateway.start(dir.resolve("data"), config)) {
                String quarantined;
                String delivered;
                try (SmtpClient client = UntrustedClients.from(gateway, "127.0.0.62")) {
                    quarantined = Archive.queueId(client.sendMessage("a@src.test",
                            "X-Test: please quarantine me\r\nSubject: q\r\n\r\nx\r\n", "b@dest.test"));
                    delivered = Archive.queueId(client.sendMessage("a@src.test", "Subject: d\r\n\r\nx\r\n",
                            "b@dest.test"));
                }
                Path kept = Archive.await(archive, quarantined);
                assertThat(JSON.readTree(kept.resolveSibling(quarantined + ".json").toFile()).get("decision")
                        .asText()).isEqualTo("quarantine");
                Path other = Archive.await(archive, delivered);
                assertThat(JSON.readTree(other.resolveSibling(delivered + ".json").toFile()).get("decision")
                        .asText()).isEqualTo("deliver");

                AdminAccess.Access access = AdminAccess.read(dir.resolve("data/broker"));
                try (Connection connection = BrokerClients.client(access.url(), access.username(),
                        access.password()).createConnection()) {
                    Session session = session(connection);
                    await().atMost(Duration.ofSeconds(60)).until(() -> depth(session, "audit.copies") == 1
                            && depth(session, "mail.copies") == 0 && next.received().size() == 1);
                    assertThat(queueIds(session, "audit.copies")).containsExactly(delivered);
                    assertThat(queueIds(session, "mail.quarantine")).containsExactly(quarantined);
                }
                assertThat(new String(next.received().get(0).content(), StandardCharsets.US_ASCII))
                        .contains("Subject: d\r\n").doesNotContain("quarantine me");
            }
        }
    }

    private static java.util.List<String> queueIds(Session session, String queue) throws Exception {
        try (QueueBrowser browser = session.createBrowser(new ActiveMQQueue(queue))) {
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (Object message : Collections.list(browser.getEnumeration())) {
                ids.add(((jakarta.jms.Message) message).getStringProperty("SmtpdQueueId"));
            }
            return ids;
        }
    }
}
