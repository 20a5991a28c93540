package dev.mailgateway.fanout;

import dev.mailgateway.ops.ThrottledWarnings;
import dev.mailgateway.smtpd.SmtpdConstants;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts events on the events topic without ever making mail wait: a route step only offers the event to a bounded
 * buffer; one thread of its own sends them, on a connection of its own (never one the spool's sends queue behind),
 * non-persistent (no disk sync: events are a feed, the archive's .json files are the record). When the buffer is
 * full (no broker, or a broker slower than mail) or the broker refuses a send, the event is dropped: counted, and
 * a warning at most once a minute. After a failed send the thread waits (1 s, doubling up to 30 s) before it
 * connects again; events offered meanwhile wait in the buffer while there is room.
 */
final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    /** Header of each event message: its type, for consumers' selectors ({@code MailEventType = 'bounced'}). */
    static final String TYPE = "MailEventType";
    private static final long MAX_PAUSE_MILLIS = 30_000;

    /** One event waiting to be sent. */
    private record Pending(String type, String queueId, String json) {
    }

    private final ConnectionFactory factory;
    private final String topic;
    private final int capacity;
    private final BlockingQueue<Pending> buffer;
    private final ThrottledWarnings warnings = new ThrottledWarnings(LOG, Duration.ofMinutes(1));
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final CountDownLatch stopping = new CountDownLatch(1);
    /** Set when stopping: System.nanoTime() after which buffered events are no longer sent. */
    private volatile long drainUntil;
    private volatile boolean drainOver;
    private Thread sender;
    // the sender thread's own
    private Connection connection;
    private Session session;
    private MessageProducer producer;

    EventPublisher(ConnectionFactory factory, String topic, int capacity) {
        this.factory = factory;
        this.topic = topic;
        this.capacity = capacity;
        this.buffer = new ArrayBlockingQueue<>(capacity);
    }

    /** Never blocks: false when the event was dropped. */
    boolean offer(String type, String queueId, String json) {
        if (stopping.getCount() == 0 || !buffer.offer(new Pending(type, queueId, json))) {
            dropped.incrementAndGet();
            warnings.warn("full", "mail events: {} events wait for the broker already, events are dropped"
                    + " (dropped so far: {})", capacity, dropped.get());
            return false;
        }
        return true;
    }

    void start() {
        sender = new Thread(this::run, "mail-events");
        sender.setDaemon(true);
        sender.start();
    }

    /** Sends what is buffered for at most {@code drain}, then closes the connection; the rest is dropped. */
    void stop(Duration drain) throws InterruptedException {
        drainUntil = System.nanoTime() + drain.toNanos();
        stopping.countDown();
        if (sender != null) {
            sender.join(drain.toMillis() + 5_000);
            if (sender.isAlive()) {
                sender.interrupt(); // stuck in a send to a broker that does not answer
                sender.join(5_000);
            }
            sender = null;
        }
    }

    /** An event that never reached the buffer (it could not be written): counted with the dropped ones. */
    void lost() {
        dropped.incrementAndGet();
    }

    long published() {
        return published.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void run() {
        int failures = 0;
        try {
            while (true) {
                Pending event = buffer.poll(200, TimeUnit.MILLISECONDS);
                boolean stopped = stopping.getCount() == 0;
                if (event == null) {
                    if (stopped) {
                        return;
                    }
                    continue;
                }
                if (stopped && (drainOver || System.nanoTime() - drainUntil > 0)) {
                    dropped.addAndGet(1 + buffer.size());
                    buffer.clear();
                    return;
                }
                try {
                    send(event);
                    published.incrementAndGet();
                    failures = 0;
                } catch (JMSException | RuntimeException e) {
                    dropped.incrementAndGet();
                    warnings.warn("send", "mail events: the broker did not take an event ({}), events are dropped"
                            + " until it does", e.toString());
                    close();
                    failures++;
                    if (!stopped && stopping.await(Math.min(MAX_PAUSE_MILLIS, 1000L << Math.min(failures - 1, 5)),
                            TimeUnit.MILLISECONDS)) {
                        drainOver = true; // stopping while the broker is away: nothing more will go out
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dropped.addAndGet(buffer.size());
            buffer.clear();
            close();
        }
    }

    private void send(Pending event) throws JMSException {
        if (producer == null) {
            connection = factory.createConnection();
            if (connection instanceof org.apache.activemq.ActiveMQConnection activeMq) {
                activeMq.setCopyMessageOnSend(false); // each event is a new message, never touched after the send
            }
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(session.createTopic(topic));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        }
        TextMessage message = session.createTextMessage(event.json());
        message.setStringProperty(TYPE, event.type());
        if (event.queueId() != null) {
            message.setStringProperty(SmtpdConstants.QUEUE_ID, event.queueId());
        }
        producer.send(message);
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException e) {
                LOG.debug("mail events: closing the connection failed", e);
            }
        }
        connection = null;
        session = null;
        producer = null;
    }
}
