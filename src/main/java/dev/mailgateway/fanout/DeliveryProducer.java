package dev.mailgateway.fanout;

import dev.mailgateway.relay.RecipientOutcome;
import dev.mailgateway.relay.SmtpRelayConstants;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-event:delivery}: one event per recipient of the delivery attempt that smtp-relay made, as the
 * delivery report judged it: {@code delivered}, {@code deferred}, or {@code bounced} (a 5xx; or deferred past the
 * maximum age, which the report bounces as expired, DSN status 4.4.7). Recipients that waited for a free
 * connection were not tried: no event. Never fails the attempt: a problem costs the events.
 */
final class DeliveryProducer extends DefaultProducer {

    DeliveryProducer(MailEventEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailEventEndpoint getEndpoint() {
        return (MailEventEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        MailEventComponent component = getEndpoint().getComponent();
        if (!component.publishing()) {
            return;
        }
        Message message = exchange.getMessage();
        List<?> outcomes = message.getHeader(SmtpRelayConstants.OUTCOMES, List.class);
        if (outcomes == null) {
            return;
        }
        String queueId = message.getHeader(SmtpdConstants.QUEUE_ID, String.class);
        String sender = message.getHeader(SmtpdConstants.SENDER, "", String.class);
        int attempt = message.getHeader(SpoolEnvelope.ATTEMPTS, 0, Integer.class) + 1;
        long now = System.currentTimeMillis();
        long queuedAt = message.getHeader(SpoolEnvelope.QUEUED_AT, now, Long.class);
        Duration age = Duration.ofMillis(now - queuedAt);
        boolean expired = age.compareTo(getEndpoint().getConfiguration().getMaxAge()) >= 0;
        String time = Instant.ofEpochMilli(now).toString();
        for (Object each : outcomes) {
            if (each instanceof RecipientOutcome outcome && outcome.status() != RecipientOutcome.Status.WAITING) {
                String type = switch (outcome.status()) {
                    case DELIVERED -> "delivered";
                    case DEFERRED -> expired ? "bounced" : "deferred";
                    default -> "bounced";
                };
                boolean expiredNow = expired && outcome.status() == RecipientOutcome.Status.DEFERRED;
                component.publish(type, queueId, () -> new DeliveryEvent(type, time, queueId, sender,
                        outcome.recipient().toString(),
                        outcome.nextHop() == null ? null : outcome.nextHop().label(),
                        outcome.reply().toString(),
                        expiredNow ? "4.4.7" : outcome.reply().dsnStatus(),
                        attempt, age.toSeconds()));
            }
        }
    }
}
