package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.Envelope;
import java.net.InetSocketAddress;

/**
 * A message whose data has ended: the bytes as received (dot-unstuffed, with our Received: header first), its
 * envelope and where it came from. What the listener hands to the route.
 *
 * @param protocol {@code SMTP} or {@code ESMTP}, as in the Received header's "with"
 */
public record ReceivedMessage(String queueId, Envelope envelope, String listener, InetSocketAddress client,
        String helo, String protocol, byte[] content) {
}
