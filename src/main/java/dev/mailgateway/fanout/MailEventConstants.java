package dev.mailgateway.fanout;

/** Headers of the {@code mail-event} blocks. */
public final class MailEventConstants {

    private MailEventConstants() {
    }

    /**
     * The accepted event as JSON, set by {@code mail-event:archive} before the spool send: it travels with the
     * spooled message (a JMS property) to the archive, which keeps it beside the message as
     * {@code <queue-id>.json}. String.
     */
    public static final String ACCEPTED_EVENT = "MailAcceptedEvent";
}
