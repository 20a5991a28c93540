package dev.mailgateway.relay;

/** Headers of the smtp-relay producer. */
public final class SmtpRelayConstants {

    private SmtpRelayConstants() {
    }

    /** What became of each recipient of this attempt. {@code List<RecipientOutcome>}. */
    public static final String OUTCOMES = "SmtpRelayOutcomes";
    /** How many recipients were delivered, deferred, failed in this attempt. Integer. */
    public static final String DELIVERED = "SmtpRelayDelivered";
    public static final String DEFERRED = "SmtpRelayDeferred";
    public static final String FAILED = "SmtpRelayFailed";
}
