package dev.mailgateway.spool;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail queues' depths on an external broker, from ActiveMQ's statistics plugin ({@code statisticsBrokerPlugin}
 * in activemq.xml): a message sent to {@code ActiveMQ.Statistics.Destination.<queues>} with a reply-to queue is
 * answered with one map per matching queue (its {@code size} among others). Two questions cover every mail queue
 * and their dead letters ({@code mail.>}, {@code DLQ.mail.>}). The plugin sends no end marker that all versions
 * agree on, so the answers are read until none has come for a short while ({@link BrokerQuestion}). Asked at most every five seconds,
 * however often /metrics is scraped, and never on the scraping thread; a broker that does not answer (away, or
 * without the plugin) reads as unknown (NaN), not as empty queues.
 */
final class BrokerStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerStatistics.class);
    private static final String PREFIX = "ActiveMQ.Statistics.Destination.";
    private static final long CACHE_NANOS = 5_000_000_000L;
    /** The first answer may take a round trip to a busy broker; after that they come back to back. */
    private static final long FIRST_ANSWER_MILLIS = 2_000;
    private static final long QUIET_MILLIS = 300;

    private final ConnectionFactory factory;
    /**
     * Asks on a thread of its own, so a scrape never waits for the broker (a failover URL can wait for long); the
     * thread ends when it has had nothing to do for a minute, so a stopped gateway leaves none behind.
     */
    private final ExecutorService asker = new ThreadPoolExecutor(0, 1, 1, TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "spool-queue-depths");
                thread.setDaemon(true);
                return thread;
            });
    private long askedAt;
    private boolean asking;
    private volatile Map<String, Long> depths;

    BrokerStatistics(ConnectionFactory factory) {
        this.factory = factory;
    }

    /**
     * The queue's depth as last reported, asking again in the background when that is over five seconds old; NaN
     * until the first answer and while the broker does not answer.
     */
    double messages(String queue) {
        refreshIfOld();
        Map<String, Long> known = depths;
        if (known == null) {
            return Double.NaN;
        }
        return known.getOrDefault(queue, 0L); // a queue nobody has used yet holds nothing
    }

    private synchronized void refreshIfOld() {
        long now = System.nanoTime();
        if (asking || askedAt != 0 && now - askedAt < CACHE_NANOS) {
            return;
        }
        asking = true;
        asker.execute(() -> {
            Map<String, Long> answered = ask();
            synchronized (this) {
                depths = answered;
                askedAt = System.nanoTime();
                asking = false;
            }
        });
    }

    /** Every mail queue's depth by name, or null when no answer came. */
    private Map<String, Long> ask() {
        Map<String, Long> found = new HashMap<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<Queue> questions = List.of(session.createQueue(PREFIX + "mail.>"),
                    session.createQueue(PREFIX + "DLQ.mail.>"));
            for (Message answer : BrokerQuestion.ask(session, questions, question -> { }, FIRST_ANSWER_MILLIS,
                    QUIET_MILLIS)) {
                if (answer instanceof MapMessage map && map.itemExists("destinationName")) {
                    found.put(map.getString("destinationName").replaceFirst("^queue://", ""), map.getLong("size"));
                }
            }
        } catch (JMSException | RuntimeException e) {
            LOG.debug("queue depths: the broker's statistics could not be read", e);
            return null;
        }
        return found.isEmpty() ? null : found;
    }
}
