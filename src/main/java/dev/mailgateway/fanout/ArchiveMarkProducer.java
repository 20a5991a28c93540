package dev.mailgateway.fanout;

import dev.mailgateway.spool.SpoolEnvelope;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-event:archive}: marks the message for the archive, before the spool send: the spool's one send then
 * also fills mail.archive ({@link SpoolEnvelope#ARCHIVE}), and the message carries its accepted event
 * ({@link MailEventConstants#ACCEPTED_EVENT}) for the archive's {@code <queue-id>.json}, whose decision is
 * {@code quarantine} when a block quarantined the message ({@code MailQuarantine}), else {@code deliver}. Works
 * whether events are published or not.
 */
final class ArchiveMarkProducer extends DefaultProducer {

    ArchiveMarkProducer(MailEventEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader(SpoolEnvelope.ARCHIVE, true);
        message.setHeader(MailEventConstants.ACCEPTED_EVENT, EventJson.write(AcceptedEvents.of(message, null)));
    }
}
