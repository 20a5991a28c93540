package dev.mailgateway.spool;

/**
 * The queue layout. The inbound route makes one persistent send to {@link #SPOOL}, a composite queue the broker
 * forwards, in that same send, by the message's properties: into {@link #RELAY} (or {@link #RELAY_LARGE} for a
 * large message), when the gateway archives it into {@link #ARCHIVE}, and when a route asked for copies into
 * {@link #COPIES}; nothing is stored in mail.spool itself.
 * <p>
 * Delivery has three lanes, each with consumers of its own, so that no kind of mail can take all delivery
 * capacity (Postfix's queue manager keeps incoming and deferred mail apart for the same reason):
 * <ul>
 *   <li>{@link #RELAY}: first attempts of new mail;</li>
 *   <li>{@link #RETRY}: deferred mail due again, and the notifications (bounces, delay warnings) we send, whose
 *       destinations anyone can choose by forging a sender;</li>
 *   <li>{@link #RELAY_LARGE}: every attempt of a large message, so that messages that hold the broker's memory and
 *       a consumer for long never stop small ones.</li>
 * </ul>
 * Each consumer queue has its own dead-letter queue, {@code DLQ.<queue>}, for messages that fail for reasons of
 * infrastructure (not SMTP: deferred recipients go back on their lane, scheduled).
 */
public final class Queues {

    private Queues() {
    }

    public static final String SPOOL = "mail.spool";
    public static final String RELAY = "mail.relay";
    public static final String RETRY = "mail.retry";
    public static final String RELAY_LARGE = "mail.relay.large";
    public static final String ARCHIVE = "mail.archive";
    /**
     * Messages a route marked for copies to other queues ({@link SpoolEnvelope#COPIES}): the spool forwards them
     * here within its one send, and the copies route puts each on its target queues in one JMS transaction.
     */
    public static final String COPIES = "mail.copies";
    /**
     * Mail events (JSON, non-persistent), an ActiveMQ virtual topic: each consumer reads its own queue,
     * {@code Consumer.<name>.VirtualTopic.mail.events}, which gets every event from the moment it exists.
     */
    public static final String EVENTS = "VirtualTopic.mail.events";
    /** Mail an operator put on hold: nobody consumes it until it is released back to delivery. */
    public static final String HOLD = "mail.hold";
    /**
     * Mail a route quarantined (DMARC p=quarantine, say): accepted with 250, kept, never delivered until an operator
     * releases it to delivery ({@code queue release}) or deletes it.
     */
    public static final String QUARANTINE = "mail.quarantine";

    /** The delivery queues, in the order the queue listing shows them. */
    public static final java.util.List<String> DELIVERY = java.util.List.of(RELAY, RETRY, RELAY_LARGE);

    /** The lane for another attempt of a message: retries and notifications, or large mail. */
    public static String laterLane(boolean large) {
        return large ? RELAY_LARGE : RETRY;
    }
}
