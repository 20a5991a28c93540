package dev.mailgateway.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A copy of a message on a queue (README "Copies to queues"): the message as spooled in a BytesMessage, the
 * envelope in its properties SmtpdQueueId, SmtpdSender and SpoolRecipients (one address a line).
 */
public record Copy(String queue, String queueId, String sender, List<String> recipients, byte[] bytes) {

    /** The message, as spooled (the gateway's Received field on top). */
    public String text() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
