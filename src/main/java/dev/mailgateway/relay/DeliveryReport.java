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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a delivery attempt, what happens to each recipient, as Postfix's queue manager decides it:
 * <ul>
 *   <li>one log line per recipient ({@code grep <queue-id>} tells the story);</li>
 *   <li>deferred recipients, only those, go back on mail.relay, due after the next delay of the retry schedule;
 *       past the maximum age they expire instead;</li>
 *   <li>failed and expired recipients are reported to the sender in one bounce (a DSN from the null sender, which
 *       goes out through the relay like any mail); mail from the null sender is never bounced (no loops), only
 *       logged;</li>
 *   <li>optionally, once, a warning to the sender that mail is delayed.</li>
 * </ul>
 * Retry copies and bounces are on the spool before the consumed message is committed: a crash in between
 * duplicates, never loses.
 */
public class DeliveryReport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.relay");
    /** Whether the sender was warned of a delay already. Boolean. */
    public static final String WARNED = "SpoolWarned";

    private SpoolSender spool;
    private String hostname = "";
    private List<Duration> retrySchedule = RetrySchedule.parse("5m,10m,20m,40m,1h");
    private Duration maxAge = Duration.ofDays(5);
    private Duration delayWarning = Duration.ZERO;

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

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws JMSException {
        Message message = exchange.getMessage();
        List<RecipientOutcome> outcomes = message.getHeader(SmtpRelayConstants.OUTCOMES, List.class);
        if (outcomes == null) {
            throw new IllegalStateException("no delivery outcomes: smtp-relay must come before the report");
        }
        String queueId = message.getHeader(SmtpdConstants.QUEUE_ID, String.class);
        String senderText = message.getHeader(SmtpdConstants.SENDER, "", String.class);
        MailAddress sender = senderText.isEmpty() ? MailAddress.nullSender() : MailAddress.parse(senderText, true);
        int attempt = message.getHeader(SpoolEnvelope.ATTEMPTS, 0, Integer.class) + 1;
        long queuedAt = message.getHeader(SpoolEnvelope.QUEUED_AT, System.currentTimeMillis(), Long.class);
        Duration age = Duration.ofMillis(System.currentTimeMillis() - queuedAt);
        boolean expired = age.compareTo(maxAge) >= 0;

        List<DeliveryStatusNotification.Entry> bounced = new ArrayList<>();
        List<DeliveryStatusNotification.Entry> delayed = new ArrayList<>();
        List<MailAddress> deferred = new ArrayList<>();
        for (RecipientOutcome outcome : outcomes) {
            String status = switch (outcome.status()) {
                case DELIVERED -> "sent";
                case FAILED -> "bounced";
                case DEFERRED -> expired ? "expired" : "deferred";
            };
            LOG.info("{}: to=<{}>, relay={}, attempt={}, delay={}s, dsn={}, status={} ({})", queueId,
                    Printable.escape(outcome.recipient().toString()),
                    outcome.nextHop() == null ? "none" : outcome.nextHop().label(), attempt, age.toSeconds(),
                    outcome.reply().dsnStatus(), status, Printable.escape(outcome.reply().toString()));
            if (outcome.status() == RecipientOutcome.Status.FAILED) {
                bounced.add(new DeliveryStatusNotification.Entry(outcome.recipient(), "failed", outcome.reply(),
                        outcome.nextHop()));
            } else if (outcome.status() == RecipientOutcome.Status.DEFERRED && expired) {
                RemoteReply reason = new RemoteReply(450, "4.4.7",
                        "delivery time expired (" + print(maxAge) + "); last problem: " + outcome.reply());
                bounced.add(new DeliveryStatusNotification.Entry(outcome.recipient(), "failed", reason,
                        outcome.nextHop()));
            } else if (outcome.status() == RecipientOutcome.Status.DEFERRED) {
                deferred.add(outcome.recipient());
                delayed.add(new DeliveryStatusNotification.Entry(outcome.recipient(), "delayed", outcome.reply(),
                        outcome.nextHop()));
            }
        }
        if (!bounced.isEmpty()) {
            notifySender(exchange, queueId, sender, Instant.ofEpochMilli(queuedAt), bounced, false);
        }
        if (!deferred.isEmpty()) {
            boolean warned = Boolean.TRUE.equals(message.getHeader(WARNED, Boolean.class));
            if (!delayWarning.isZero() && age.compareTo(delayWarning) >= 0 && !warned) {
                notifySender(exchange, queueId, sender, Instant.ofEpochMilli(queuedAt), delayed, true);
                warned = true;
            }
            Duration delay = RetrySchedule.delayAfter(retrySchedule, attempt);
            retry(exchange, deferred, attempt, warned, delay, delayed.get(0).reply().toString());
            LOG.info("{}: {} recipients deferred, attempt {} in {}", queueId, deferred.size(), attempt + 1, print(delay));
        }
    }

    /** A bounce or a delay warning to the sender; never for the null sender (a bounce of a bounce loops). */
    private void notifySender(Exchange exchange, String queueId, MailAddress sender, Instant arrival,
            List<DeliveryStatusNotification.Entry> entries, boolean delayed) throws JMSException {
        if (sender.isNullSender()) {
            LOG.info("{}: undeliverable mail from <> is not bounced: {} recipients dropped", queueId, entries.size());
            return;
        }
        String dsnId = QueueId.next();
        byte[] content = exchange.getMessage().getBody(byte[].class);
        byte[] dsn = DeliveryStatusNotification.build(LocalHost.name(hostname), dsnId, queueId, arrival, sender, entries, content,
                delayed);
        Map<String, Object> properties = new HashMap<>();
        properties.put(SmtpdConstants.QUEUE_ID, dsnId);
        properties.put(SmtpdConstants.SENDER, "");
        // the report carries the original's header section and the recipients: it needs what the original needed
        // (the relay then asks the next hop for SMTPUTF8 only when the report really has UTF-8 in its envelope or
        // headers), and 8BITMIME whenever an 8-bit byte is in it
        boolean utf8 = sender.isUtf8() || entries.stream().anyMatch(e -> e.recipient().isUtf8())
                || Boolean.TRUE.equals(exchange.getMessage().getHeader(SmtpdConstants.SMTPUTF8, Boolean.class));
        properties.put(SmtpdConstants.SMTPUTF8, utf8);
        if (hasEightBit(dsn)) {
            properties.put(SmtpdConstants.BODY_TYPE, "8BITMIME");
        }
        properties.put(SpoolEnvelope.RECIPIENTS, sender.toString());
        properties.put(SpoolEnvelope.QUEUED_AT, System.currentTimeMillis());
        properties.put(SpoolEnvelope.ATTEMPTS, 0);
        spool.send(Queues.RELAY, dsn, properties, Duration.ZERO);
        LOG.info("{}: sender {} notification: {}", queueId, delayed ? "delay" : "non-delivery", dsnId);
    }

    /** The message again, for the deferred recipients only, due after the delay. */
    private void retry(Exchange exchange, List<MailAddress> recipients, int attempts, boolean warned, Duration delay,
            String lastError) throws JMSException {
        Map<String, Object> properties = new HashMap<>();
        for (Map.Entry<String, Object> header : exchange.getMessage().getHeaders().entrySet()) {
            Object value = header.getValue();
            if ((header.getKey().startsWith("Smtpd") || header.getKey().startsWith("Spool"))
                    && (value instanceof String || value instanceof Number || value instanceof Boolean)) {
                properties.put(header.getKey(), value);
            }
        }
        properties.put(SpoolEnvelope.RECIPIENTS, SpoolEnvelope.join(recipients));
        properties.put(SpoolEnvelope.ATTEMPTS, attempts);
        properties.put(SpoolEnvelope.NEXT_ATTEMPT_AT, System.currentTimeMillis() + delay.toMillis());
        properties.put(WARNED, warned);
        properties.put(SpoolEnvelope.LAST_ERROR, lastError);
        spool.send(Queues.RELAY, exchange.getMessage().getBody(byte[].class), properties, delay);
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
