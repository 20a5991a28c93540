package dev.mailgateway.spool;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.Map;
import org.apache.activemq.ScheduledMessage;

/**
 * Puts a message on a mail queue from a relay thread: persistent and synchronous (it is on disk when this
 * returns), and outside the consumer's transaction on purpose: the broker applies a scheduled send made inside a
 * transaction only after the commit, from another store, so a crash could lose it; sent first and committed after,
 * a crash can only duplicate.
 */
public final class SpoolSender {

    private final ConnectionFactory connectionFactory;

    public SpoolSender(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /**
     * @param properties JMS properties (strings, numbers, booleans)
     * @param delay      how long the broker's scheduler holds it; zero for now
     */
    public void send(String queue, byte[] content, Map<String, Object> properties, Duration delay) throws JMSException {
        try (Connection connection = connectionFactory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(content);
            for (Map.Entry<String, Object> property : properties.entrySet()) {
                message.setObjectProperty(property.getKey(), property.getValue());
            }
            if (!delay.isZero()) {
                message.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, delay.toMillis());
            }
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(message);
        }
    }
}
