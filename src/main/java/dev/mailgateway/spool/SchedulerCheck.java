package dev.mailgateway.spool;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.UUID;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ScheduledMessage;
import org.apache.activemq.command.ActiveMQDestination;

/**
 * Deferred mail waits in the broker's scheduler (AMQ_SCHEDULED_DELAY). A broker without scheduler support ignores
 * the delay without a word and hands the message back at once, so retries would spin. At start we send a probe
 * due in a few seconds and see whether it comes back early; if it does, the gateway refuses to run.
 */
final class SchedulerCheck {

    private static final long DELAY_MILLIS = 3000;

    private SchedulerCheck() {
    }

    static void verify(ConnectionFactory factory, String broker) throws JMSException {
        String name = "mail.probe." + UUID.randomUUID();
        try (Connection connection = factory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            Queue probe = session.createQueue(name);
            try (MessageConsumer consumer = session.createConsumer(probe);
                    MessageProducer producer = session.createProducer(probe)) {
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                TextMessage message = session.createTextMessage("scheduler probe");
                message.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, DELAY_MILLIS);
                producer.send(message);
                if (consumer.receive(DELAY_MILLIS / 3) != null) {
                    throw new IllegalStateException("the broker " + broker + " has no scheduler support: deferred "
                            + "mail would be retried at once, forever. Set schedulerSupport=\"true\" on its <broker> "
                            + "element (see config/activemq.xml) and restart it.");
                }
                consumer.receive(DELAY_MILLIS * 3); // take the probe back when it is due
            } finally {
                if (connection instanceof ActiveMQConnection activeMq) {
                    activeMq.destroyDestination((ActiveMQDestination) probe);
                }
            }
        }
    }
}
