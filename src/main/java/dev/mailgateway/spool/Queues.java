package dev.mailgateway.spool;

/**
 * The queue layout. The inbound route makes one persistent send to {@link #SPOOL}, a composite queue the broker
 * forwards, in that same send, into {@link #RELAY} (and {@link #ARCHIVE} when the archive is on); nothing is stored
 * in mail.spool itself. Each consumer queue has its own dead-letter queue, {@code DLQ.<queue>}, for messages that
 * fail for reasons of infrastructure (not SMTP: deferred recipients go back on mail.relay, scheduled).
 */
public final class Queues {

    private Queues() {
    }

    public static final String SPOOL = "mail.spool";
    public static final String RELAY = "mail.relay";
    public static final String ARCHIVE = "mail.archive";
    /** Mail an operator put on hold: nobody consumes it until it is released back to mail.relay. */
    public static final String HOLD = "mail.hold";
}
