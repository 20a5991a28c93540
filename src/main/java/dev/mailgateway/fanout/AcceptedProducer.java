package dev.mailgateway.fanout;

import dev.mailgateway.smtpd.SmtpdConstants;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-event:accepted}: publishes the accepted event of the message, after the spool (or quarantine) send,
 * so there is no event of a message the broker did not take. Never fails the message: a problem costs the event.
 */
final class AcceptedProducer extends DefaultProducer {

    private static final Set<String> DECISIONS = Set.of("deliver", "quarantine");

    AcceptedProducer(MailEventEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailEventEndpoint getEndpoint() {
        return (MailEventEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String decision = getEndpoint().getConfiguration().getDecision();
        if (!decision.isEmpty() && !DECISIONS.contains(decision)) {
            throw new IllegalArgumentException("mail-event:accepted decision must be deliver or quarantine, not "
                    + decision);
        }
    }

    @Override
    public void process(Exchange exchange) {
        MailEventComponent component = getEndpoint().getComponent();
        if (!component.publishing()) {
            return;
        }
        String decision = getEndpoint().getConfiguration().getDecision();
        component.publish("accepted", exchange.getMessage().getHeader(SmtpdConstants.QUEUE_ID, String.class),
                () -> AcceptedEvents.of(exchange.getMessage(), decision));
    }
}
