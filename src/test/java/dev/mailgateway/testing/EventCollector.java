package dev.mailgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailgateway.spool.AdminAccess;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.command.ActiveMQQueue;

/**
 * Another system reading mail events: a JMS consumer of its own queue {@code Consumer.<name>.VirtualTopic.mail.events}
 * on a running gateway's embedded broker (through the queue tools' loopback access), keeping every event it gets,
 * parsed. The queue exists from the moment this is made.
 */
public final class EventCollector implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> types = new CopyOnWriteArrayList<>();

    private EventCollector(ConnectionFactory factory, String name) throws Exception {
        connection = factory.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(new ActiveMQQueue("Consumer." + name + ".VirtualTopic.mail.events"))
                .setMessageListener(message -> {
                    try {
                        types.add(message.getStringProperty("MailEventType"));
                        events.add(JSON.readTree(((TextMessage) message).getText()));
                    } catch (JMSException | java.io.IOException e) {
                        throw new IllegalStateException("an event that is not JSON text", e);
                    }
                });
        connection.start();
    }

    /** @param dataDir the gateway's gateway.data-dir (its embedded broker) */
    public static EventCollector start(Path dataDir, String name) throws Exception {
        AdminAccess.Access access = AdminAccess.read(dataDir.resolve("broker"));
        return new EventCollector(BrokerClients.client(access.url(), access.username(), access.password()), name);
    }

    public static EventCollector start(ConnectionFactory broker, String name) throws Exception {
        return new EventCollector(broker, name);
    }

    public List<JsonNode> events() {
        return events;
    }

    /** The MailEventType property of each event, in the order they came. */
    public List<String> types() {
        return types;
    }

    /** The events of one message (its queue id), in the order they came. */
    public List<JsonNode> of(String queueId) {
        return events.stream().filter(e -> queueId.equals(e.path("queueId").asText())).toList();
    }

    /** The one event of this type for this message and recipient (null: none of it for accepted). */
    public JsonNode find(String queueId, String type, String recipient) {
        List<JsonNode> found = of(queueId).stream().filter(e -> type.equals(e.path("type").asText()))
                .filter(e -> recipient == null || recipient.equals(e.path("recipient").asText())).toList();
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
