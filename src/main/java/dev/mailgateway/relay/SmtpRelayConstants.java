package dev.mailgateway.relay;

import org.apache.camel.spi.Metadata;

/** Headers of the smtp-relay producer. */
public final class SmtpRelayConstants {

    private SmtpRelayConstants() {
    }

    /** What became of each recipient of this attempt. {@code List<RecipientOutcome>}. */
    @Metadata(description = "What became of each recipient of this attempt",
            javaType = "java.util.List<dev.mailgateway.relay.RecipientOutcome>")
    public static final String OUTCOMES = "SmtpRelayOutcomes";
    /** How many recipients were delivered, deferred, failed in this attempt: Integer each. */
    @Metadata(description = "How many recipients were delivered in this attempt",
            javaType = "Integer")
    public static final String DELIVERED = "SmtpRelayDelivered";
    @Metadata(description = "How many recipients were deferred (to be tried again) in this attempt",
            javaType = "Integer")
    public static final String DEFERRED = "SmtpRelayDeferred";
    @Metadata(description = "How many recipients failed for good in this attempt",
            javaType = "Integer")
    public static final String FAILED = "SmtpRelayFailed";
}
