package dev.mailgateway.smtpd;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.ReceivedHeaders;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.smtpd.internal.ListenerMetrics;
import dev.mailgateway.smtpd.internal.MessageBudget;
import dev.mailgateway.smtpd.internal.MessageContent;
import dev.mailgateway.smtpd.internal.MessageDelivery;
import dev.mailgateway.smtpd.internal.ReceivedMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Hands each received message to the route, as one Exchange (body: the bytes, in memory or a file-backed stream
 * cache for large messages; headers: the envelope, see {@link SmtpdConstants}) on the bounded worker pool, never on
 * a network thread, within the listeners' byte budget; and gives the session its one answer ({@link RouteAnswer}).
 * A message with too many hops is refused here, before any route sees it.
 */
final class RouteHandOff implements MessageDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpdConsumer.class);
    private static final SmtpReply NO_ROOM = SmtpReply.of(452, "4.3.1", "Insufficient system storage, try again later");
    private static final SmtpReply TOO_MANY_HOPS = SmtpReply.of(554, "5.4.6", "Error: too many hops");

    private final SmtpdConsumer consumer;
    private final ExecutorService workers;
    private final ScheduledExecutorService deadlines;
    /** Set by the filtering and authentication blocks when the route is to keep the message on mail.quarantine. */
    private static final String QUARANTINE = "MailQuarantine";
    private final SmtpReply busy;
    private final ListenerMetrics metrics;

    /**
     * @param deadlines where the route timeout of each message waits; every one is cancelled when its route
     *                  answers, so it holds about as many as there are messages in the routes
     */
    RouteHandOff(SmtpdConsumer consumer, ExecutorService workers, ScheduledExecutorService deadlines, SmtpReply busy,
            ListenerMetrics metrics) {
        this.metrics = metrics;
        this.consumer = consumer;
        this.workers = workers;
        this.deadlines = deadlines;
        this.busy = busy;
    }

    @Override
    public void deliver(ReceivedMessage message, Consumer<SmtpReply> done) {
        SmtpdComponent component = consumer.getEndpoint().getComponent();
        MessageBudget budget = component.budget();
        long size = message.content().size();
        long dataEnded = System.nanoTime();
        AtomicBoolean quarantined = new AtomicBoolean();
        RouteAnswer answer = new RouteAnswer(message.queueId(), reply -> {
            metrics.message(outcome(reply, quarantined.get()), message.tls() != null, size,
                    System.nanoTime() - dataEnded);
            done.accept(reply);
        });
        budget.acquire(size).completeOnTimeout(false, component.getBudgetWait().toMillis(), TimeUnit.MILLISECONDS)
                .thenAccept(granted -> {
                    if (!granted) {
                        LOG.warn("{}: {} bytes waited {} for room among {} bytes in flight, answering {}",
                                message.queueId(), size, component.getBudgetWait(), budget.limit(), NO_ROOM);
                        message.content().release();
                        answer.give(NO_ROOM);
                        return;
                    }
                    Runnable finished = () -> {
                        try {
                            message.content().release();
                        } finally {
                            budget.release(size);
                        }
                    };
                    // the deadline first: once the route has the message, nothing here may answer 451 for it
                    Duration limit = consumer.getEndpoint().getConfiguration().getRouteTimeout();
                    answer.deadline(deadlines.schedule(() -> answer.lateRoute(limit), limit.toMillis(),
                            TimeUnit.MILLISECONDS));
                    try {
                        workers.execute(() -> route(message, answer, quarantined, finished));
                    } catch (RejectedExecutionException e) {
                        LOG.warn("{}: every route worker is busy, answering {}", message.queueId(), busy);
                        finished.run();
                        answer.give(busy);
                    }
                }).exceptionally(e -> {
                    // a future swallows what its stages throw: without this the client would wait forever
                    consumer.getExceptionHandler().handleException(
                            message.queueId() + ": the message could not be handed to the route", e);
                    answer.give(RouteOutcome.NOT_QUEUED);
                    return null;
                });
    }

    private static ListenerMetrics.Outcome outcome(SmtpReply reply, boolean quarantined) {
        if (reply.isPositive()) {
            return quarantined ? ListenerMetrics.Outcome.QUARANTINED : ListenerMetrics.Outcome.ACCEPTED;
        }
        return reply.isTransient() ? ListenerMetrics.Outcome.TEMPFAILED : ListenerMetrics.Outcome.REFUSED;
    }

    private void route(ReceivedMessage message, RouteAnswer answer, AtomicBoolean quarantined, Runnable finished) {
        if (tooManyHops(message)) {
            finished.run();
            answer.give(TOO_MANY_HOPS);
            return;
        }
        Exchange exchange = consumer.createExchange(false);
        try {
            fill(exchange.getMessage(), message);
            consumer.getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    // the route's quarantine step took it (mail.quarantine): counted apart from mail for delivery
                    quarantined.set(Boolean.TRUE.equals(exchange.getMessage().getHeader(QUARANTINE, Boolean.class)));
                    answer.fromRoute(RouteOutcome.replyFor(exchange, message.queueId()));
                } finally {
                    consumer.releaseExchange(exchange, false);
                    finished.run();
                }
            });
        } catch (RuntimeException e) {
            consumer.getExceptionHandler().handleException(
                    message.queueId() + ": could not hand the message to the route", exchange, e);
            finished.run();
            answer.give(RouteOutcome.NOT_QUEUED);
        }
    }

    /**
     * A loop, or a forger's pretence of one (which would make us bounce to whoever the sender says): refused in the
     * session, as Postfix's cleanup does, never taken and bounced.
     */
    private boolean tooManyHops(ReceivedMessage message) {
        MessageContent content = message.content();
        int limit = consumer.getEndpoint().getConfiguration().getMaxHops();
        if (content.isInMemory()) {
            return ReceivedHeaders.count(content.bytes()) > limit;
        }
        try (java.io.InputStream in = Files.newInputStream(content.file())) {
            return ReceivedHeaders.count(in) > limit;
        } catch (IOException e) {
            return false; // the route reads the file too, and answers 451 if it cannot
        }
    }

    private static void fill(Message out, ReceivedMessage message) {
        MessageContent content = message.content();
        out.setBody(content.isInMemory() ? content.bytes() : new FileInputStreamCache(content.file().toFile()));
        out.setHeader(SmtpdConstants.QUEUE_ID, message.queueId());
        out.setHeader(SmtpdConstants.SENDER, message.envelope().sender().toString());
        out.setHeader(SmtpdConstants.RECIPIENTS,
                message.envelope().recipients().stream().map(MailAddress::toString).toList());
        if (message.envelope().bodyType() != null) {
            out.setHeader(SmtpdConstants.BODY_TYPE, message.envelope().bodyType());
        }
        out.setHeader(SmtpdConstants.SMTPUTF8, message.envelope().smtpUtf8());
        out.setHeader(SmtpdConstants.CLIENT_ADDRESS, message.client().getAddress().getHostAddress());
        out.setHeader(SmtpdConstants.CLIENT_PORT, message.client().getPort());
        out.setHeader(SmtpdConstants.HELO, message.helo());
        out.setHeader(SmtpdConstants.LISTENER, message.listener());
        out.setHeader(SmtpdConstants.PROTOCOL, message.protocol());
        out.setHeader(SmtpdConstants.SIZE, content.size());
        if (message.tls() != null) {
            out.setHeader(SmtpdConstants.TLS_PROTOCOL, message.tls().protocol());
            out.setHeader(SmtpdConstants.TLS_CIPHER, message.tls().cipher());
        }
        if (message.authUser() != null) {
            out.setHeader(SmtpdConstants.AUTH_USER, message.authUser());
        }
        out.setHeader(SmtpdConstants.TRUSTED_CLIENT, message.trusted());
    }
}
