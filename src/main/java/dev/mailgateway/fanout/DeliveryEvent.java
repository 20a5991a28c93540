package dev.mailgateway.fanout;

/**
 * The event of one recipient's delivery attempt: {@code delivered} (the next hop took it), {@code deferred}
 * (tried again later) or {@code bounced} (given up: a 5xx, or deferred past the maximum age, with DSN status
 * 4.4.7; the sender gets a bounce). A field contract like {@link AcceptedEvent}'s.
 *
 * @param time         when the attempt ended, ISO-8601 in UTC with milliseconds
 * @param sender       the envelope sender, {@code ""} for {@code <>}
 * @param remoteHost   the next hop as logs name it ({@code mx1.example.org[192.0.2.10]:25}); null when none was found
 * @param remoteReply  its reply (or our account of a local problem), e.g. {@code 250 2.0.0 Ok: queued as 4F2A}
 * @param dsnStatus    the enhanced status code (RFC 3463): its own, or one that fits the reply's class
 * @param attempt      1 for the first attempt
 * @param delaySeconds seconds since the message was queued
 */
public record DeliveryEvent(String type, String time, String queueId, String sender, String recipient,
        String remoteHost, String remoteReply, String dsnStatus, int attempt, long delaySeconds) {
}
