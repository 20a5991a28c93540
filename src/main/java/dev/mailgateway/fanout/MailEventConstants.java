package dev.mailgateway.fanout;

import org.apache.camel.spi.Metadata;

/** Headers of the {@code mail-event} blocks. */
public final class MailEventConstants {

    private MailEventConstants() {
    }

    /**
     * The accepted event as JSON, set by {@code mail-event:archive} before the spool send: it travels with the
     * spooled message (a JMS property) to the archive, which keeps it beside the message as
     * {@code <queue-id>.json}. String.
     */
    @Metadata(description = "The accepted event as JSON, set by mail-event:archive before the spool send; the archive keeps it"
                    + " beside the message as <queue-id>.json",
            javaType = "String")
    public static final String ACCEPTED_EVENT = "MailAcceptedEvent";
}
