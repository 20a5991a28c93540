package dev.mailgateway.spool;

import dev.mailgateway.mail.Postmaster;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mailauth.MailAuthConstants;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Makes the envelope fit for JMS before the spool send: JMS properties carry strings and numbers only, so the
 * recipient list becomes one string, one address per line (a line break cannot occur in an address). The other
 * smtpd headers are strings, numbers or booleans already and travel as they are. Also stamps the time the message
 * was first queued, from which its age is counted, and the properties the spool's composite queue forwards by:
 * {@link #QUARANTINE} (kept on mail.quarantine instead of delivered), {@link #LARGE} (its delivery lane) and
 * {@link #ARCHIVE} (whether mail.archive gets a copy). The gateway decides them, so an external broker's
 * configuration never has to agree with gateway settings.
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
    /**
     * Whether the message is kept on mail.quarantine until an operator releases it, instead of delivered: set from
     * the blocks' verdict, {@code MailQuarantine}. Quarantined mail is archived like any other (when marked), and
     * never copied: copies are of mail that is delivered. Boolean.
     */
    public static final String QUARANTINE = "SpoolQuarantine";
    /** Whether the message is delivered in the large-message lane (mail.relay.large). Boolean. */
    public static final String LARGE = "SpoolLarge";
    /** Whether the spool also forwards the message to mail.archive. Boolean. */
    public static final String ARCHIVE = "SpoolArchive";
    /**
     * Where the copies route sends copies of the message: the target queues' endpoints ({@code jms:queue:NAME}),
     * comma-separated, set by {@code mail-event:copy} steps. When set, the spool also forwards the message to
     * mail.copies; absent on mail that no rule copies (no second store write). String.
     */
    public static final String COPIES = "SpoolCopies";
    /** An operator asked for this delivery now (queue retry, release): next hops are tried even if suspended. Boolean. */
    public static final String RETRY_NOW = "SpoolRetryNow";
    /** How often the message found every connection to its next hop busy since its last attempt. Integer. */
    public static final String WAITS = "SpoolWaits";

    private long largeMessageSize = 1024 * 1024;
    private boolean archive;
    private Postmaster ourPostmaster = new Postmaster("");
    private String postmaster = "";

    /** Messages larger than this (bytes) go to the large-message lane. */
    public void setLargeMessageSize(long largeMessageSize) {
        this.largeMessageSize = largeMessageSize;
    }

    /** Archive every message; the shipped routes choose which with a condition and mail-event:archive instead. */
    public void setArchive(boolean archive) {
        this.archive = archive;
    }

    /** This gateway's host name: {@code postmaster@<hostname>} is its postmaster. */
    public void setHostname(String hostname) {
        this.ourPostmaster = new Postmaster(hostname);
    }

    /**
     * Where mail for our postmaster goes: an address, or blank to keep it in files (the relay's postmaster
     * directory). RFC 5321 §4.5.1: every server must take mail for its postmaster.
     */
    public void setPostmaster(String postmaster) {
        this.postmaster = postmaster == null ? "" : postmaster.strip();
        if (!this.postmaster.isEmpty()) {
            MailAddress.parse(this.postmaster, true); // refuse a typo at start, not at the first message
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        List<?> recipients = message.getHeader(SmtpdConstants.RECIPIENTS, List.class);
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalStateException("no envelope recipients to spool");
        }
        message.setHeader(RECIPIENTS, join(postmaster.isEmpty() ? recipients : readdressed(recipients)));
        message.setHeader(QUEUED_AT, System.currentTimeMillis());
        message.setHeader(ATTEMPTS, 0);
        Long size = message.getHeader(SmtpdConstants.SIZE, Long.class);
        message.setHeader(LARGE, size != null && size > largeMessageSize);
        message.setHeader(QUARANTINE, Boolean.TRUE.equals(message.getHeader(MailAuthConstants.QUARANTINE, Boolean.class)));
        // a step before may have marked it for the archive already (mail-event:archive): never unmarked here
        message.setHeader(ARCHIVE, archive || Boolean.TRUE.equals(message.getHeader(ARCHIVE, Boolean.class)));
    }

    /** Recipients with our postmaster replaced by the postmaster's address, once. */
    private List<String> readdressed(List<?> recipients) {
        java.util.LinkedHashSet<String> result = new java.util.LinkedHashSet<>();
        for (Object recipient : recipients) {
            String address = recipient.toString();
            result.add(ourPostmaster.is(MailAddress.parse(address, true)) ? postmaster : address);
        }
        return List.copyOf(result);
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
