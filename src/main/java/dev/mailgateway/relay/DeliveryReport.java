package dev.mailgateway.relay;

import dev.mailgateway.mail.LocalHost;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.Printable;
import dev.mailgateway.mail.QueueId;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.Queues;
import dev.mailgateway.spool.SpoolEnvelope;
import dev.mailgateway.spool.SpoolSender;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a delivery attempt, what happens to each recipient, as Postfix's queue manager decides it:
 * <ul>
 *   <li>one log line per recipient ({@code grep <queue-id>} tells the story);</li>
 *   <li>deferred recipients, only those, go to mail.retry (mail.relay.large for a large message), due after the
 *       next delay of the retry schedule; past the maximum age they expire instead;</li>
 *   <li>recipients whose next hop was busy go back to the queue they came from, soon, without counting an attempt;</li>
 *   <li>failed and expired recipients are reported to the sender in one bounce (a DSN from the null sender, sent
 *       through mail.retry like any mail, with at most the original's header section, cut at the bounce size
 *       limit); mail from the null sender is never bounced (no loops), only logged;</li>
 *   <li>optionally, once, a warning to the sender that mail is delayed.</li>
 * </ul>
 * These sends happen before the consumed message is committed: a crash in between duplicates, never loses. A send
 * that fails is tried again here, a few times, continuing where it stopped (recipients that got 250 must never get
 * the message again, which a rollback and JMS redelivery would do); when it keeps failing, the recipients it
 * carried go on hold (mail.hold) with the reason, for an operator, and the attempt commits. Only when even that
 * fails (the broker is gone) does the attempt roll back.
 */
public class DeliveryReport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.relay");
    /** Whether the sender was warned of a delay already. Boolean. */
    public static final String WARNED = "SpoolWarned";
    private static final int SEND_TRIES = 3;

    private SpoolSender spool;
    private String hostname = "";
    private List<Duration> retrySchedule = RetrySchedule.parse("5m,10m,20m,40m,1h");
    private Duration maxAge = Duration.ofDays(5);
    private Duration delayWarning = Duration.ZERO;
    private int bounceSizeLimit = 50_000;
    private Duration sendRetryDelay = Duration.ofSeconds(1);

    public void setConnectionFactory(ConnectionFactory connectionFactory) {
        this.spool = new SpoolSender(connectionFactory);
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    /** Comma-separated delays with s, m, h, d units; the last repeats. */
    public void setRetrySchedule(String retrySchedule) {
        this.retrySchedule = RetrySchedule.parse(retrySchedule);
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** Zero: no warnings. */
    public void setDelayWarning(Duration delayWarning) {
        this.delayWarning = delayWarning;
    }

    /** Bytes of the original's header section a bounce quotes at most (Postfix's bounce_size_limit). */
    public void setBounceSizeLimit(int bounceSizeLimit) {
        this.bounceSizeLimit = bounceSizeLimit;
    }

    /** The wait before a failed follow-up send is tried again. */
    public void setSendRetryDelay(Duration sendRetryDelay) {
        this.sendRetryDelay = sendRetryDelay;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws JMSException {
        Message message = exchange.getMessage();
        List<RecipientOutcome> outcomes = message.getHeader(SmtpRelayConstants.OUTCOMES, List.class);
        if (outcomes == null) {
            throw new IllegalStateException("no delivery outcomes: smtp-relay must come before the report");
        }
        Attempt attempt = Attempt.of(message, maxAge);
        List<FollowUp> followUps;
        try {
            followUps = plan(exchange, attempt, outcomes);
        } catch (RuntimeException e) { // a bug: never a reason to deliver again to those who have it
            LOG.error("{}: the delivery report could not be made", attempt.queueId(), e);
            hold(exchange, undelivered(outcomes), "delivery report failed: " + e);
            return;
        }
        int sent = 0;
        int tries = 0;
        while (sent < followUps.size()) {
            FollowUp next = followUps.get(sent);
            try {
                spool.send(next.queue(), next.content(), next.properties(), next.delay());
                sent++;
                tries = 0;
            } catch (JMSException | RuntimeException e) {
                if (++tries >= SEND_TRIES) {
                    LOG.error("{}: {} could not be spooled after {} tries: {}", attempt.queueId(), next.what(), tries,
                            e.toString());
                    Set<MailAddress> stranded = new LinkedHashSet<>();
                    followUps.subList(sent, followUps.size()).forEach(f -> stranded.addAll(f.covers()));
                    hold(exchange, List.copyOf(stranded), "delivery report failed: " + e);
                    return;
                }
                pause(tries);
            }
        }
    }

    /** What this attempt leaves to do, logging each recipient's outcome. */
    private List<FollowUp> plan(Exchange exchange, Attempt attempt, List<RecipientOutcome> outcomes) {
        List<DeliveryStatusNotification.Entry> bounced = new ArrayList<>();
        List<DeliveryStatusNotification.Entry> delayed = new ArrayList<>();
        List<MailAddress> deferred = new ArrayList<>();
        List<MailAddress> waiting = new ArrayList<>();
        String waitReason = null;
        for (RecipientOutcome outcome : outcomes) {
            String status = switch (outcome.status()) {
                case DELIVERED -> "sent";
                case FAILED -> "bounced";
                case DEFERRED -> attempt.expired() ? "expired" : "deferred";
                case WAITING -> "waiting";
            };
            LOG.info("{}: to=<{}>, relay={}, attempt={}, delay={}s, dsn={}, status={} ({})", attempt.queueId(),
                    Printable.escape(outcome.recipient().toString()),
                    outcome.nextHop() == null ? "none" : outcome.nextHop().label(), attempt.number(),
                    attempt.age().toSeconds(), outcome.reply().dsnStatus(), status,
                    Printable.escape(outcome.reply().toString()));
            switch (outcome.status()) {
                case FAILED -> bounced.add(entry(outcome, "failed", outcome.reply()));
                case DEFERRED -> {
                    if (attempt.expired()) {
                        bounced.add(entry(outcome, "failed", new RemoteReply(450, "4.4.7",
                                "delivery time expired (" + print(maxAge) + "); last problem: " + outcome.reply())));
                    } else {
                        deferred.add(outcome.recipient());
                        delayed.add(entry(outcome, "delayed", outcome.reply()));
                    }
                }
                case WAITING -> {
                    waiting.add(outcome.recipient());
                    waitReason = outcome.reply().toString();
                }
                case DELIVERED -> { }
            }
        }
        List<FollowUp> followUps = new ArrayList<>();
        if (!bounced.isEmpty()) {
            notice(exchange, attempt, bounced, false).ifPresent(followUps::add);
        }
        if (!deferred.isEmpty()) {
            boolean warned = Boolean.TRUE.equals(exchange.getMessage().getHeader(WARNED, Boolean.class));
            if (!delayWarning.isZero() && attempt.age().compareTo(delayWarning) >= 0 && !warned) {
                notice(exchange, attempt, delayed, true).ifPresent(followUps::add);
                warned = true;
            }
            Duration delay = RetrySchedule.delayAfter(retrySchedule, attempt.number());
            followUps.add(again(exchange, "retry copy", Queues.laterLane(attempt.large()), deferred, delay,
                    Map.of(SpoolEnvelope.ATTEMPTS, attempt.number(), WARNED, warned, SpoolEnvelope.WAITS, 0,
                            SpoolEnvelope.LAST_ERROR, delayed.get(0).reply().toString(),
                            SpoolEnvelope.RETRY_NOW, false)));
            LOG.info("{}: {} recipients deferred, attempt {} in {}", attempt.queueId(), deferred.size(),
                    attempt.number() + 1, print(delay));
        }
        if (!waiting.isEmpty()) {
            int waits = exchange.getMessage().getHeader(SpoolEnvelope.WAITS, 0, Integer.class) + 1;
            // soon, but later each time: a destination that stays busy is asked less and less often
            Duration delay = Duration.ofSeconds(Math.min(60, 5L * waits));
            followUps.add(again(exchange, "waiting copy", cameFrom(exchange, attempt), waiting, delay,
                    Map.of(SpoolEnvelope.ATTEMPTS, attempt.number() - 1, SpoolEnvelope.WAITS, waits,
                            SpoolEnvelope.LAST_ERROR, waitReason)));
            LOG.info("{}: {} recipients waiting for a free connection, again in {}", attempt.queueId(),
                    waiting.size(), print(delay));
        }
        return followUps;
    }

    private static DeliveryStatusNotification.Entry entry(RecipientOutcome outcome, String action, RemoteReply reply) {
        return new DeliveryStatusNotification.Entry(outcome.recipient(), action, reply, outcome.nextHop());
    }

    /** A bounce or a delay warning to the sender; never for the null sender (a bounce of a bounce loops). */
    private java.util.Optional<FollowUp> notice(Exchange exchange, Attempt attempt,
            List<DeliveryStatusNotification.Entry> entries, boolean delayed) {
        List<MailAddress> covers = entries.stream().map(DeliveryStatusNotification.Entry::recipient).toList();
        if (attempt.sender().isNullSender()) {
            LOG.info("{}: undeliverable mail from <> is not bounced: {} recipients dropped", attempt.queueId(),
                    entries.size());
            return java.util.Optional.empty();
        }
        String dsnId = QueueId.next();
        byte[] content = exchange.getMessage().getBody(byte[].class);
        byte[] dsn = DeliveryStatusNotification.build(LocalHost.name(hostname), dsnId, attempt.queueId(),
                attempt.arrival(), attempt.sender(), entries, content, delayed, bounceSizeLimit);
        Map<String, Object> properties = new HashMap<>();
        properties.put(SmtpdConstants.QUEUE_ID, dsnId);
        properties.put(SmtpdConstants.SENDER, "");
        // the report carries the original's header section and the recipients: it needs what the original needed
        // (the relay then asks the next hop for SMTPUTF8 only when the report really has UTF-8 in its envelope or
        // headers), and 8BITMIME whenever an 8-bit byte is in it
        boolean utf8 = attempt.sender().isUtf8() || entries.stream().anyMatch(e -> e.recipient().isUtf8())
                || Boolean.TRUE.equals(exchange.getMessage().getHeader(SmtpdConstants.SMTPUTF8, Boolean.class));
        properties.put(SmtpdConstants.SMTPUTF8, utf8);
        if (hasEightBit(dsn)) {
            properties.put(SmtpdConstants.BODY_TYPE, "8BITMIME");
        }
        properties.put(SmtpdConstants.SIZE, (long) dsn.length);
        properties.put(SpoolEnvelope.RECIPIENTS, attempt.sender().toString());
        properties.put(SpoolEnvelope.QUEUED_AT, System.currentTimeMillis());
        properties.put(SpoolEnvelope.ATTEMPTS, 0);
        LOG.info("{}: sender {} notification: {}", attempt.queueId(), delayed ? "delay" : "non-delivery", dsnId);
        // notifications go where anyone can send them by forging a sender: the retry lane, never the first one
        return java.util.Optional.of(new FollowUp(delayed ? "delay notification" : "non-delivery notification",
                Queues.RETRY, dsn, properties, Duration.ZERO, covers));
    }

    /** The message again, for some recipients only. */
    private static FollowUp again(Exchange exchange, String what, String queue, List<MailAddress> recipients,
            Duration delay, Map<String, Object> changes) {
        Map<String, Object> properties = envelope(exchange);
        properties.putAll(changes);
        properties.put(SpoolEnvelope.RECIPIENTS, SpoolEnvelope.join(recipients));
        properties.put(SpoolEnvelope.NEXT_ATTEMPT_AT, System.currentTimeMillis() + delay.toMillis());
        return new FollowUp(what, queue, exchange.getMessage().getBody(byte[].class), properties, delay, recipients);
    }

    /** Our envelope properties of the message: the smtpd and spool ones that JMS can carry. */
    private static Map<String, Object> envelope(Exchange exchange) {
        Map<String, Object> properties = new HashMap<>();
        for (Map.Entry<String, Object> header : exchange.getMessage().getHeaders().entrySet()) {
            Object value = header.getValue();
            if ((header.getKey().startsWith("Smtpd") || header.getKey().startsWith("Spool"))
                    && (value instanceof String || value instanceof Number || value instanceof Boolean)) {
                properties.put(header.getKey(), value);
            }
        }
        return properties;
    }

    /** The queue the message was consumed from, to wait in again; its lane by its kind when unknown. */
    private static String cameFrom(Exchange exchange, Attempt attempt) {
        Object destination = exchange.getMessage().getHeader("JMSDestination");
        try {
            if (destination instanceof Queue queue && Queues.DELIVERY.contains(queue.getQueueName())) {
                return queue.getQueueName();
            }
        } catch (JMSException e) {
            // fall through to the lane by kind
        }
        return attempt.number() > 1 || attempt.sender().isNullSender() ? Queues.laterLane(attempt.large())
                : attempt.large() ? Queues.RELAY_LARGE : Queues.RELAY;
    }

    /** The last resort: the recipients not yet taken care of wait on mail.hold for an operator. */
    private void hold(Exchange exchange, List<MailAddress> recipients, String reason) throws JMSException {
        if (recipients.isEmpty()) {
            return;
        }
        String queueId = exchange.getMessage().getHeader(SmtpdConstants.QUEUE_ID, String.class);
        Map<String, Object> properties = envelope(exchange);
        properties.put(SpoolEnvelope.RECIPIENTS, SpoolEnvelope.join(recipients));
        properties.put(SpoolEnvelope.LAST_ERROR, reason);
        spool.send(Queues.HOLD, exchange.getMessage().getBody(byte[].class), properties, Duration.ZERO);
        LOG.error("{}: {} recipients put on hold ({}); release with: queue release {}", queueId, recipients.size(),
                reason, queueId);
    }

    private static List<MailAddress> undelivered(List<RecipientOutcome> outcomes) {
        return outcomes.stream().filter(o -> o.status() != RecipientOutcome.Status.DELIVERED)
                .map(RecipientOutcome::recipient).toList();
    }

    private void pause(int tries) {
        try {
            Thread.sleep(sendRetryDelay.toMillis() * tries);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean hasEightBit(byte[] content) {
        for (byte b : content) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    static String print(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
