package dev.mailgateway.spool;

import dev.mailgateway.smtpd.SmtpdConstants;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Makes the envelope fit for JMS before the spool send: JMS properties carry strings and numbers only, so the
 * recipient list becomes one string, one address per line (a line break cannot occur in an address). The other
 * smtpd headers are strings, numbers or booleans already and travel as they are. Also stamps the time the message
 * was first queued, from which its age is counted.
 */
public final class SpoolEnvelope implements Processor {

    /** The envelope recipients, one per line. String. */
    public static final String RECIPIENTS = "SpoolRecipients";
    /** When the message was first queued, epoch milliseconds. Long. */
    public static final String QUEUED_AT = "SpoolQueuedAt";
    /** Delivery attempts made so far. Integer. */
    public static final String ATTEMPTS = "SpoolAttempts";
    /** Why the last attempt deferred the message, for the queue listing. String. */
    public static final String LAST_ERROR = "SpoolLastError";
    /** When a deferred message is due again, epoch milliseconds. Long. */
    public static final String NEXT_ATTEMPT_AT = "SpoolNextAttemptAt";

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        List<?> recipients = message.getHeader(SmtpdConstants.RECIPIENTS, List.class);
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalStateException("no envelope recipients to spool");
        }
        message.setHeader(RECIPIENTS, join(recipients));
        message.setHeader(QUEUED_AT, System.currentTimeMillis());
        message.setHeader(ATTEMPTS, 0);
    }

    public static String join(List<?> recipients) {
        StringBuilder sb = new StringBuilder();
        for (Object recipient : recipients) {
            String address = recipient.toString();
            if (address.indexOf('\n') >= 0 || address.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a line break in an address: " + address);
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(address);
        }
        return sb.toString();
    }

    public static List<String> split(String recipients) {
        return recipients == null || recipients.isEmpty() ? List.of() : List.of(recipients.split("\n"));
    }
}
