package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One send a delivery attempt leaves to do before it may commit: a bounce or delay warning to the sender, or the
 * message again for the recipients still to be tried.
 *
 * @param what       for logs: "non-delivery notification", "retry copy"...
 * @param queue      the queue it goes to
 * @param properties the JMS properties (envelope)
 * @param delay      how long the broker's scheduler holds it; zero for now
 * @param covers     the recipients whose fate it carries: if it cannot be sent, they go on hold
 */
record FollowUp(String what, String queue, byte[] content, Map<String, Object> properties, Duration delay,
        List<MailAddress> covers) {
}
