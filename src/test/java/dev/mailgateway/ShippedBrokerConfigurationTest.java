package dev.mailgateway;

import static dev.mailgateway.testing.BrokerClients.client;
import static dev.mailgateway.testing.BrokerClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mailgateway.spool.Queues;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/activemq.xml, the broker docker-compose runs, started from that very file as ActiveMQ's own start script
 * loads it (xbean:file:...). Its credentials come from GATEWAY_BROKER_USERNAME and GATEWAY_BROKER_PASSWORD; here
 * as system properties, which its placeholders read before the environment. Its connector is moved to a free
 * loopback port, keeping its options.
 */
class ShippedBrokerConfigurationTest {

    private static final String USER = "GATEWAY_BROKER_USERNAME";
    private static final String PASSWORD = "GATEWAY_BROKER_PASSWORD";

    @TempDir
    Path dir;

    private BrokerService broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker.waitUntilStopped();
        }
        System.clearProperty(USER);
        System.clearProperty(PASSWORD);
        System.clearProperty("activemq.data");
    }

    private BrokerService load() throws Exception {
        System.setProperty("activemq.data", dir.toString());
        BrokerFactory.setStartDefault(false); // xbean brokers start themselves unless told otherwise
        try {
            return BrokerFactory.createBroker("xbean:file:config/activemq.xml");
        } finally {
            BrokerFactory.resetStartDefault();
        }
    }

    private URI start(String user, String password) throws Exception {
        System.setProperty(USER, user);
        System.setProperty(PASSWORD, password);
        broker = load();
        assertThat(broker.getTransportConnectors()).hasSize(1);
        TransportConnector openwire = broker.getTransportConnectors().get(0);
        URI shipped = openwire.getUri();
        assertThat(shipped.getPort()).isEqualTo(61616);
        openwire.setUri(new URI("tcp", null, "127.0.0.1", 0, null, shipped.getQuery(), null));
        broker.start();
        broker.waitUntilStarted();
        return URI.create("tcp://127.0.0.1:" + openwire.getConnectUri().getPort()); // without the server's options
    }

    @Test
    void anAnonymousClientIsRefusedAndPutsNothingOnMailRelay() throws Exception {
        URI uri = start("gateway", "compose-secret");

        assertThatThrownBy(() -> send(client(uri, null, null), Queues.RELAY, "anonymous"))
                .isInstanceOf(JMSException.class); // a JMSSecurityException, or "disposed" when the broker hangs up first
        assertThat(broker.getDestination(new ActiveMQQueue(Queues.RELAY)).getDestinationStatistics().getMessages()
                .getCount()).isZero();
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        URI uri = start("gateway", "compose-secret");

        assertThatThrownBy(() -> send(client(uri, "gateway", "not-the-secret"), Queues.SPOOL, "guess"))
                .isInstanceOf(JMSException.class); // a JMSSecurityException, or "disposed" when the broker hangs up first
        assertThatThrownBy(() -> send(client(uri, "", ""), Queues.SPOOL, "blank"))
                .isInstanceOf(JMSException.class); // a JMSSecurityException, or "disposed" when the broker hangs up first
    }

    @Test
    void theCredentialsFromTheEnvironmentLetTheGatewayIn() throws Exception {
        URI uri = start("gateway", "compose-secret");

        send(client(uri, "gateway", "compose-secret"), Queues.SPOOL, "spooled");

        try (Connection connection = client(uri, "gateway", "compose-secret").createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer relay = session.createConsumer(new ActiveMQQueue(Queues.RELAY));
            Message received = relay.receive(30_000);
            assertThat(received).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) received).getText()).isEqualTo("spooled");
        }
    }

    private long count(String queue) throws Exception {
        org.apache.activemq.broker.region.Destination destination = broker.getDestination(new ActiveMQQueue(queue));
        return destination == null ? 0 : destination.getDestinationStatistics().getMessages().getCount();
    }

    private static void spool(ActiveMQConnectionFactory factory, boolean large, Boolean archive) throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message message = session.createTextMessage("spooled");
            message.setBooleanProperty(dev.mailgateway.spool.SpoolEnvelope.LARGE, large);
            if (archive != null) {
                message.setBooleanProperty(dev.mailgateway.spool.SpoolEnvelope.ARCHIVE, archive);
            }
            session.createProducer(new ActiveMQQueue(Queues.SPOOL)).send(message);
        }
    }

    @Test
    void theSpoolForwardsAsTheGatewaySaysNeverToAnArchiveNobodyReads() throws Exception {
        URI uri = start("gateway", "compose-secret");
        ActiveMQConnectionFactory gateway = client(uri, "gateway", "compose-secret");

        spool(gateway, false, null);
        spool(gateway, false, false);
        spool(gateway, true, false);
        spool(gateway, false, true);

        assertThat(count(Queues.RELAY)).isEqualTo(3);
        assertThat(count(Queues.RELAY_LARGE)).isEqualTo(1);
        assertThat(count(Queues.ARCHIVE)).as("only what the gateway marked for its archive").isEqualTo(1);
        assertThat(count(Queues.SPOOL)).isZero();
    }

    @Test
    void messagesMarkedForCopiesAlsoReachMailCopiesInTheSameSend() throws Exception {
        URI uri = start("gateway", "compose-secret");
        try (Connection connection = client(uri, "gateway", "compose-secret").createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message marked = session.createTextMessage("spooled");
            marked.setStringProperty(dev.mailgateway.spool.SpoolEnvelope.COPIES, "jms:queue:erp.invoices");
            session.createProducer(new ActiveMQQueue(Queues.SPOOL)).send(marked);
            session.createProducer(new ActiveMQQueue(Queues.SPOOL)).send(session.createTextMessage("not marked"));
        }
        assertThat(count(Queues.RELAY)).isEqualTo(2);
        assertThat(count(Queues.COPIES)).as("only the marked one").isEqualTo(1);
    }

    @Test
    void quarantinedMailIsKeptAndArchivedButNeitherDeliveredNorCopied() throws Exception {
        URI uri = start("gateway", "compose-secret");
        try (Connection connection = client(uri, "gateway", "compose-secret").createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (boolean large : new boolean[] {false, true}) {
                Message quarantined = session.createTextMessage("spooled");
                quarantined.setBooleanProperty(dev.mailgateway.spool.SpoolEnvelope.QUARANTINE, true);
                quarantined.setBooleanProperty(dev.mailgateway.spool.SpoolEnvelope.LARGE, large);
                quarantined.setBooleanProperty(dev.mailgateway.spool.SpoolEnvelope.ARCHIVE, true);
                quarantined.setStringProperty(dev.mailgateway.spool.SpoolEnvelope.COPIES, "jms:queue:erp.invoices");
                session.createProducer(new ActiveMQQueue(Queues.SPOOL)).send(quarantined);
            }
        }
        assertThat(count(Queues.QUARANTINE)).isEqualTo(2);
        assertThat(count(Queues.ARCHIVE)).isEqualTo(2);
        assertThat(count(Queues.RELAY) + count(Queues.RELAY_LARGE) + count(Queues.COPIES)).isZero();
    }

    @Test
    void eventsReachEveryConsumerQueueFromTheMomentItExists() throws Exception {
        URI uri = start("gateway", "compose-secret");
        ActiveMQConnectionFactory gateway = client(uri, "gateway", "compose-secret");
        try (Connection connection = gateway.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(new ActiveMQQueue("Consumer.early.VirtualTopic.mail.events")).close();
            session.createProducer(new org.apache.activemq.command.ActiveMQTopic(Queues.EVENTS))
                    .send(session.createTextMessage("{\"n\":1}"));
            session.createConsumer(new ActiveMQQueue("Consumer.late.VirtualTopic.mail.events")).close();
            session.createProducer(new org.apache.activemq.command.ActiveMQTopic(Queues.EVENTS))
                    .send(session.createTextMessage("{\"n\":2}"));
        }
        assertThat(count("Consumer.early.VirtualTopic.mail.events")).isEqualTo(2);
        assertThat(count("Consumer.late.VirtualTopic.mail.events")).isEqualTo(1);
    }

    /** The shipped file and the embedded broker agree on every policy the gateway relies on. */
    @Test
    void theShippedPoliciesAreTheEmbeddedBrokersPolicies() throws Exception {
        System.setProperty(USER, "gateway");
        System.setProperty(PASSWORD, "compose-secret");
        BrokerService shipped = load();
        BrokerService embedded = dev.mailgateway.spool.EmbeddedBroker.configure(new BrokerService(),
                new dev.mailgateway.spool.SpoolSettings("", dir.resolve("embedded"), "", false,
                        java.time.Duration.ofSeconds(10), 32L << 20, 16, "gateway", "secret"), "embedded");
        for (org.apache.activemq.command.ActiveMQDestination destination : List.of(new ActiveMQQueue(Queues.RELAY),
                new ActiveMQQueue(Queues.RELAY_LARGE), new ActiveMQQueue(Queues.COPIES), new ActiveMQQueue("erp.invoices"),
                new ActiveMQQueue("Consumer.siem.VirtualTopic.mail.events"),
                new org.apache.activemq.command.ActiveMQTopic(Queues.EVENTS))) {
            org.apache.activemq.broker.region.policy.PolicyEntry a = shipped.getDestinationPolicy().getEntryFor(destination);
            org.apache.activemq.broker.region.policy.PolicyEntry b = embedded.getDestinationPolicy().getEntryFor(destination);
            assertThat(a).as(destination.toString()).isNotNull();
            assertThat(a.isProducerFlowControl()).as(destination + " flow control").isFalse();
            assertThat(b.isProducerFlowControl()).as(destination + " flow control, embedded").isFalse();
            assertThat(a.getMemoryLimit()).as(destination + " memory").isEqualTo(b.getMemoryLimit());
            assertThat(a.isLazyDispatch()).as(destination + " lazy dispatch").isEqualTo(b.isLazyDispatch());
            assertThat(a.getDeadLetterStrategy() == null).as(destination + " DLQ").isEqualTo(b.getDeadLetterStrategy() == null);
        }
        assertThat(shipped.getDestinationPolicy().getEntryFor(new ActiveMQQueue("Consumer.siem.VirtualTopic.mail.events"))
                .getMemoryLimit()).isEqualTo(8L << 20);
    }

    @Test
    void withoutCredentialsTheBrokerDoesNotStart() {
        assumeThat(System.getenv(USER)).as("this JVM's environment sets " + USER).isNull();
        assumeThat(System.getenv(PASSWORD)).as("this JVM's environment sets " + PASSWORD).isNull();

        assertThatThrownBy(this::load).hasStackTraceContaining(USER);
    }
}
