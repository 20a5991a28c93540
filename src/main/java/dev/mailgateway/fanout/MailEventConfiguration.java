package dev.mailgateway.fanout;

import java.time.Duration;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the {@code mail-event} blocks. The component holds the defaults (config/application.properties);
 * an endpoint may override them in its URI, e.g. {@code mail-event:accepted?decision=quarantine}.
 */
@UriParams
public class MailEventConfiguration implements Cloneable {

    @UriParam(label = "accepted", enums = "deliver,quarantine", description = "What the route did with the"
            + " message, for the event's decision field. Not set: quarantine when a block quarantined the message"
            + " (MailQuarantine), else deliver")
    private String decision = "";
    @UriParam(label = "copy", description = "The queue that gets a copy of the message (letters, digits, '.', '_',"
            + " '-'; not one of the gateway's own mail.* queues)")
    private String queue = "";
    @UriParam(label = "copy", description = "Copy only messages with one of these envelope recipients:"
            + " local@domain, comma-separated, * as a wildcard on either side; case and a +extension are ignored."
            + " Blank: every message that reaches the step")
    private String recipients = "";
    @UriParam(label = "delivery", defaultValue = "5d", description = "The relay's maximum age"
            + " (gateway.relay.max-age): a deferred recipient of an older message is reported bounced, as the"
            + " relay bounces it")
    private Duration maxAge = Duration.ofDays(5);

    public MailEventConfiguration copy() {
        try {
            return (MailEventConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getDecision() {
        return decision;
    }

    public void setDecision(String decision) {
        this.decision = decision;
    }

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    public String getRecipients() {
        return recipients;
    }

    public void setRecipients(String recipients) {
        this.recipients = recipients;
    }

    public Duration getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }
}
