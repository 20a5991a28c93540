package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Message;

/**
 * The delivery attempt a report is about, from the spooled message's envelope.
 *
 * @param number  1 for the first attempt
 * @param expired whether the message is older than the maximum age
 * @param large   whether it travels in the large-message lane
 */
record Attempt(String queueId, MailAddress sender, int number, Instant arrival, Duration age, boolean expired,
        boolean large) {

    static Attempt of(Message message, Duration maxAge) {
        String sender = message.getHeader(SmtpdConstants.SENDER, "", String.class);
        long queuedAt = message.getHeader(SpoolEnvelope.QUEUED_AT, System.currentTimeMillis(), Long.class);
        Duration age = Duration.ofMillis(System.currentTimeMillis() - queuedAt);
        return new Attempt(message.getHeader(SmtpdConstants.QUEUE_ID, String.class),
                sender.isEmpty() ? MailAddress.nullSender() : MailAddress.parse(sender, true),
                message.getHeader(SpoolEnvelope.ATTEMPTS, 0, Integer.class) + 1, Instant.ofEpochMilli(queuedAt), age,
                age.compareTo(maxAge) >= 0, Boolean.TRUE.equals(message.getHeader(SpoolEnvelope.LARGE, Boolean.class)));
    }
}
