package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.Envelope;
import java.net.InetSocketAddress;

/**
 * A message whose data has ended: the bytes as received (dot-unstuffed, with our Received: header first), its
 * envelope and where it came from. What the listener hands to the route; the route's side releases the content.
 *
 * @param protocol the Received header's "with": {@code SMTP}, {@code ESMTP}, {@code ESMTPS}, {@code ESMTPSA},
 *                 {@code UTF8SMTPS}...
 * @param tls      the session's TLS, null when in plain text
 * @param authUser the authenticated user, null when the client did not authenticate
 * @param trusted  the client is in the listener's trusted networks
 */
public record ReceivedMessage(String queueId, Envelope envelope, String listener, InetSocketAddress client,
        String helo, String protocol, TlsInfo tls, String authUser, boolean trusted, MessageContent content) {
}
