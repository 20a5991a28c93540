package dev.mailgateway.smtpd;

import dev.mailgateway.mail.SmtpReply;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one answer the session hears for a message: the route's, or, when the route takes longer than the route
 * timeout (a broker that went away can hold a JMS send far past its own timeouts), 451 so the client tries
 * again later. A route that finishes after that and took the message leaves a duplicate (the client resends),
 * never a loss; that is logged.
 */
final class RouteAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpdConsumer.class);

    private final String queueId;
    private final Consumer<SmtpReply> session;
    private final AtomicBoolean given = new AtomicBoolean();
    private volatile Future<?> deadline;

    RouteAnswer(String queueId, Consumer<SmtpReply> session) {
        this.queueId = queueId;
        this.session = session;
    }

    boolean give(SmtpReply reply) {
        if (given.compareAndSet(false, true)) {
            Future<?> task = deadline;
            if (task != null) {
                task.cancel(false);
            }
            session.accept(reply);
            return true;
        }
        return false;
    }

    /** The route timeout's task: cancelled when the route answers first (thousands a second must not pile up). */
    void deadline(Future<?> task) {
        deadline = task;
        if (given.get()) {
            task.cancel(false);
        }
    }

    void fromRoute(SmtpReply reply) {
        if (!give(reply)) {
            LOG.warn("{}: the route answered {} after the client was told to try again{}", queueId, reply,
                    reply.isPositive() ? ": the message is queued and will likely come twice" : "");
        }
    }

    void lateRoute(Duration limit) {
        if (give(RouteOutcome.NOT_QUEUED)) {
            LOG.warn("{}: the route did not answer within {}: answered {}", queueId, limit, RouteOutcome.NOT_QUEUED);
        }
    }
}
