package dev.mailgateway.fanout;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.policy.block.ExemptRecipients;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.Queues;
import dev.mailgateway.spool.SpoolEnvelope;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-event:copy?queue=NAME[&recipients=...]}: marks the message for a copy on that queue, before the spool
 * send; with {@code recipients}, only a message with one of those envelope recipients (the common rule, which
 * Camel's simple language cannot say exactly: its {@code ~~} on a list matches any substring). The mark
 * ({@link SpoolEnvelope#COPIES}, the target endpoints comma-separated, each once) makes the spool's one send also
 * fill mail.copies; the copies route sends the message, bytes and envelope as spooled, to each target in one JMS
 * transaction. Mail no rule marks costs nothing more.
 */
final class CopyProducer extends DefaultProducer {

    /**
     * What a copy queue may be called: no ActiveMQ wildcard ({@code *}, {@code >}) or composite ({@code ,}) that
     * would send elsewhere, nothing the comma-separated mark could split.
     */
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    /** The gateway's own queues: a copy there would deliver, hold or archive the message a second time. */
    private static final Set<String> OURS = Set.of(Queues.SPOOL, Queues.RELAY, Queues.RETRY, Queues.RELAY_LARGE,
            Queues.ARCHIVE, Queues.HOLD, Queues.QUARANTINE, Queues.COPIES);

    private String target;
    /** Null: every message. */
    private ExemptRecipients only;

    CopyProducer(MailEventEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailEventEndpoint getEndpoint() {
        return (MailEventEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String queue = getEndpoint().getConfiguration().getQueue();
        if (queue == null || !QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("mail-event:copy needs queue=NAME (letters, digits, '.', '_', '-'), not "
                    + queue);
        }
        if (OURS.contains(queue) || queue.startsWith("DLQ.")) {
            throw new IllegalArgumentException("mail-event:copy cannot copy to the gateway's own queue " + queue);
        }
        target = "jms:queue:" + queue;
        String recipients = getEndpoint().getConfiguration().getRecipients();
        only = recipients == null || recipients.isBlank() ? null : ExemptRecipients.parse(recipients);
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        if (only != null && !forOneOf(message)) {
            return;
        }
        String marked = message.getHeader(SpoolEnvelope.COPIES, String.class);
        if (marked == null || marked.isEmpty()) {
            message.setHeader(SpoolEnvelope.COPIES, target);
        } else if (!Set.of(marked.split(",")).contains(target)) {
            message.setHeader(SpoolEnvelope.COPIES, marked + "," + target);
        }
    }

    private boolean forOneOf(Message message) {
        List<?> recipients = message.getHeader(SmtpdConstants.RECIPIENTS, List.class);
        if (recipients == null) {
            recipients = SpoolEnvelope.split(message.getHeader(SpoolEnvelope.RECIPIENTS, String.class));
        }
        for (Object recipient : recipients) {
            try {
                if (only.contains(MailAddress.parse(String.valueOf(recipient), true))) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // not an address we could match: not one of them
            }
        }
        return false;
    }
}
