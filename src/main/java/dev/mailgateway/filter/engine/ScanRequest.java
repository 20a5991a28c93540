package dev.mailgateway.filter.engine;

import java.net.InetAddress;
import java.util.List;

/**
 * One message to scan, with what the listener knew of it. The message bytes already begin with our own
 * {@code Received:} line (the listener prepends it), so an engine that gets no envelope (spamd) still sees the
 * client.
 *
 * @param message    opens the message from its first byte, as often as needed (bytes in memory or a spilled file)
 * @param size       the exact number of bytes {@code message} yields
 * @param client     the SMTP client's address
 * @param helo       what it said at HELO/EHLO; may be null
 * @param clientName its verified host name (forward-confirmed); null when unknown
 * @param sender     MAIL FROM, "" for the null sender
 * @param recipients RCPT TO addresses
 * @param queueId    our queue id
 * @param authUser   the authenticated user, null if none
 * @param tls        whether the session was encrypted
 */
public record ScanRequest(MessageSource message, long size, InetAddress client, String helo, String clientName,
        String sender, List<String> recipients, String queueId, String authUser, boolean tls) {

    public ScanRequest {
        recipients = List.copyOf(recipients);
    }
}
