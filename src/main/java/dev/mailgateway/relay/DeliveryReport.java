package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.Queues;
import dev.mailgateway.spool.SpoolEnvelope;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.activemq.ScheduledMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a delivery attempt: one log line per recipient (Postfix style, so {@code grep <queue-id>} tells the
 * story), and the deferred recipients, only those, back on mail.relay for a later attempt. That copy is sent
 * outside the consumer's transaction, synchronously and persistently, before the consumed message is committed:
 * a crash in between gives a duplicate delivery, never a lost one. (The broker applies a scheduled send made
 * inside a transaction only after the commit, from another store.)
 */
public class DeliveryReport implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.relay");

    private ConnectionFactory connectionFactory;
    private Duration retryDelay = Duration.ofMinutes(5);

    public void setConnectionFactory(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public void setRetryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
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
        int attempt = message.getHeader(SpoolEnvelope.ATTEMPTS, 0, Integer.class) + 1;
        long queuedAt = message.getHeader(SpoolEnvelope.QUEUED_AT, System.currentTimeMillis(), Long.class);
        Duration age = Duration.ofMillis(System.currentTimeMillis() - queuedAt);
        List<MailAddress> deferred = outcomes.stream()
                .filter(o -> o.status() == RecipientOutcome.Status.DEFERRED).map(RecipientOutcome::recipient).toList();
        for (RecipientOutcome outcome : outcomes) {
            LOG.info("{}: to=<{}>, relay={}, attempt={}, delay={}s, dsn={}, status={} ({})", queueId,
                    outcome.recipient(), outcome.nextHop() == null ? "none" : outcome.nextHop().label(), attempt,
                    age.toSeconds(), outcome.reply().dsnStatus(), status(outcome.status()), outcome.reply());
        }
        if (!deferred.isEmpty()) {
            retry(exchange, deferred, attempt);
            LOG.info("{}: {} recipients deferred, next attempt in {}", queueId, deferred.size(),
                    retryDelay.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static String status(RecipientOutcome.Status status) {
        return switch (status) {
            case DELIVERED -> "sent";
            case DEFERRED -> "deferred";
            case FAILED -> "bounced";
        };
    }

    /** The message again, for the deferred recipients only, due after the retry delay. */
    private void retry(Exchange exchange, List<MailAddress> recipients, int attempts) throws JMSException {
        byte[] content = exchange.getMessage().getBody(byte[].class);
        try (Connection connection = connectionFactory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            BytesMessage copy = session.createBytesMessage();
            copy.writeBytes(content);
            for (Map.Entry<String, Object> header : exchange.getMessage().getHeaders().entrySet()) {
                Object value = header.getValue();
                if ((header.getKey().startsWith("Smtpd") || header.getKey().startsWith("Spool"))
                        && (value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    copy.setObjectProperty(header.getKey(), value);
                }
            }
            copy.setStringProperty(SpoolEnvelope.RECIPIENTS, SpoolEnvelope.join(recipients));
            copy.setIntProperty(SpoolEnvelope.ATTEMPTS, attempts);
            copy.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, retryDelay.toMillis());
            MessageProducer producer = session.createProducer(session.createQueue(Queues.RELAY));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(copy);
        }
    }
}
