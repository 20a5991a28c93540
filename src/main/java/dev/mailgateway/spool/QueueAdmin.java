package dev.mailgateway.spool;

import dev.mailgateway.smtpd.SmtpdConstants;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.apache.activemq.ScheduledMessage;

/**
 * The operator's queue operations, as Postfix's mailq and postsuper: list the mail waiting (deferred in the
 * broker's scheduler, held, or on a delivery queue for delivery now), retry deferred mail now, delete, hold,
 * release. Mail that goes back to delivery goes to mail.retry (mail.relay.large when large).
 * Every change copies before it removes: a crash in between leaves a duplicate, never a loss.
 */
public final class QueueAdmin implements AutoCloseable {

    /** One message waiting. */
    public record Entry(String queueId, String state, String sender, List<String> recipients, int attempts,
            long queuedAt, long nextAttemptAt, String lastError, long size) {
    }

    private static final long BROWSE_QUIET_MILLIS = 1000;
    private final Connection connection;
    private final Session session;

    public QueueAdmin(ConnectionFactory factory) throws JMSException {
        connection = factory.createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    public List<Entry> list() throws JMSException {
        List<Entry> entries = new ArrayList<>();
        for (Message message : scheduled()) {
            entries.add(entry(message, "deferred"));
        }
        entries.addAll(browse(Queues.HOLD, "hold"));
        entries.addAll(browse(Queues.QUARANTINE, "quarantine"));
        for (String queue : Queues.DELIVERY) {
            entries.addAll(browse(queue, "active"));
        }
        return entries;
    }

    /** Deferred mail goes to delivery now. @return how many messages */
    public int retry(String queueId) throws JMSException {
        int done = 0;
        for (Message message : scheduled()) {
            if (queueId.equals(message.getStringProperty(SmtpdConstants.QUEUE_ID))) {
                copy(message, lane(message));
                removeJob(message);
                done++;
            }
        }
        return done;
    }

    /** Puts deferred or waiting mail on hold: it stays until released. */
    public int hold(String queueId) throws JMSException {
        int done = 0;
        for (Message message : scheduled()) {
            if (queueId.equals(message.getStringProperty(SmtpdConstants.QUEUE_ID))) {
                copy(message, Queues.HOLD);
                removeJob(message);
                done++;
            }
        }
        for (String queue : Queues.DELIVERY) {
            done += move(queue, Queues.HOLD, queueId);
        }
        return done;
    }

    /** Sends held or quarantined mail to delivery now. */
    public int release(String queueId) throws JMSException {
        return move(Queues.HOLD, null, queueId, true) + move(Queues.QUARANTINE, null, queueId, true);
    }

    /** Removes the mail for good (deferred, held, quarantined, or waiting for delivery). */
    public int delete(String queueId) throws JMSException {
        int done = 0;
        for (Message message : scheduled()) {
            if (queueId.equals(message.getStringProperty(SmtpdConstants.QUEUE_ID))) {
                removeJob(message);
                done++;
            }
        }
        done += move(Queues.HOLD, null, queueId);
        done += move(Queues.QUARANTINE, null, queueId);
        for (String queue : Queues.DELIVERY) {
            done += move(queue, null, queueId);
        }
        return done;
    }

    private static String lane(Message message) throws JMSException {
        return Queues.laterLane(message.propertyExists(SpoolEnvelope.LARGE)
                && message.getBooleanProperty(SpoolEnvelope.LARGE));
    }

    /** The messages in the broker's scheduler (deferred mail), as the scheduler's BROWSE hands them over. */
    private List<Message> scheduled() throws JMSException {
        // the scheduler sends one reply per job and no end marker: a quiet second means all are in
        List<Message> messages = new ArrayList<>();
        for (Message m : BrokerQuestion.ask(session,
                List.of(session.createTopic(ScheduledMessage.AMQ_SCHEDULER_MANAGEMENT_DESTINATION)),
                question -> question.setStringProperty(ScheduledMessage.AMQ_SCHEDULER_ACTION,
                        ScheduledMessage.AMQ_SCHEDULER_ACTION_BROWSE),
                BROWSE_QUIET_MILLIS * 3, BROWSE_QUIET_MILLIS)) {
            if (m.getStringProperty(SmtpdConstants.QUEUE_ID) != null) {
                messages.add(m);
            }
        }
        return messages;
    }

    private void removeJob(Message scheduled) throws JMSException {
        try (MessageProducer producer = session.createProducer(
                session.createTopic(ScheduledMessage.AMQ_SCHEDULER_MANAGEMENT_DESTINATION))) {
            Message request = session.createMessage();
            request.setStringProperty(ScheduledMessage.AMQ_SCHEDULER_ACTION, ScheduledMessage.AMQ_SCHEDULER_ACTION_REMOVE);
            request.setStringProperty(ScheduledMessage.AMQ_SCHEDULED_ID,
                    scheduled.getStringProperty(ScheduledMessage.AMQ_SCHEDULED_ID));
            producer.send(request);
        }
    }

    /** A copy for delivery now: the same bytes and envelope, no scheduling. */
    private void copy(Message original, String queue) throws JMSException {
        BytesMessage source = (BytesMessage) original;
        source.reset();
        byte[] content = new byte[(int) source.getBodyLength()];
        source.readBytes(content);
        BytesMessage copy = session.createBytesMessage();
        copy.writeBytes(content);
        for (String name : Collections.list((Enumeration<String>) original.getPropertyNames())) {
            if (!name.startsWith("AMQ_SCHEDULED") && !name.equals("scheduledJobId")) {
                copy.setObjectProperty(name, original.getObjectProperty(name));
            }
        }
        copy.setBooleanProperty(SpoolEnvelope.RETRY_NOW, true);
        try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(copy);
        }
    }

    private int move(String from, String to, String queueId) throws JMSException {
        return move(from, to, queueId, false);
    }

    /**
     * Takes the queue id's messages off one queue and puts them on another: {@code to}, or each on its delivery
     * lane when {@code toLane}; with neither, they are removed.
     */
    private int move(String from, String to, String queueId, boolean toLane) throws JMSException {
        int moved = 0;
        try (Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = transacted.createConsumer(transacted.createQueue(from),
                        SmtpdConstants.QUEUE_ID + " = '" + queueId.replace("'", "''") + "'")) {
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(500)) {
                String target = toLane ? lane(m) : to;
                if (target != null) {
                    try (MessageProducer producer = transacted.createProducer(transacted.createQueue(target))) {
                        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                        if (toLane && m instanceof org.apache.activemq.command.ActiveMQMessage received) {
                            received.setReadOnlyProperties(false); // received messages are read-only in JMS
                            received.setBooleanProperty(SpoolEnvelope.RETRY_NOW, true);
                        }
                        producer.send(m);
                    }
                }
                transacted.commit();
                moved++;
            }
        }
        return moved;
    }

    private List<Entry> browse(String queue, String state) throws JMSException {
        List<Entry> entries = new ArrayList<>();
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            for (Message m : Collections.list((Enumeration<Message>) browser.getEnumeration())) {
                entries.add(entry(m, state));
            }
        }
        return entries;
    }

    private static Entry entry(Message m, String state) throws JMSException {
        long size = m instanceof BytesMessage bytes ? bytes.getBodyLength() : 0;
        return new Entry(m.getStringProperty(SmtpdConstants.QUEUE_ID), state,
                m.getStringProperty(SmtpdConstants.SENDER), SpoolEnvelope.split(m.getStringProperty(SpoolEnvelope.RECIPIENTS)),
                m.propertyExists(SpoolEnvelope.ATTEMPTS) ? m.getIntProperty(SpoolEnvelope.ATTEMPTS) : 0,
                m.propertyExists(SpoolEnvelope.QUEUED_AT) ? m.getLongProperty(SpoolEnvelope.QUEUED_AT) : 0,
                m.propertyExists(SpoolEnvelope.NEXT_ATTEMPT_AT) ? m.getLongProperty(SpoolEnvelope.NEXT_ATTEMPT_AT) : 0,
                m.getStringProperty(SpoolEnvelope.LAST_ERROR), size);
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
