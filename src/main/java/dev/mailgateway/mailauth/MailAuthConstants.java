package dev.mailgateway.mailauth;

import dev.mailgateway.policy.MailPolicyConstants;
import org.apache.camel.spi.Metadata;

/**
 * Headers the {@code mail-auth} blocks add (besides the shared {@code MailScore}, {@code MailReasons},
 * {@code MailReply}), so later steps and the route's decisions read them.
 */
public final class MailAuthConstants {

    private MailAuthConstants() {
    }

    /** The SPF result of the MAIL FROM identity (the HELO identity for the null sender). {@code SpfResult}. */
    @Metadata(description = "The SPF result of the MAIL FROM identity (the HELO identity for the null sender)",
            javaType = "dev.mailgateway.mailauth.spf.SpfResult")
    public static final String SPF = "MailAuthSpf";
    /** Every DKIM signature's result, in header order. {@code List<DkimResult>}. */
    @Metadata(description = "Every DKIM signature's result, in header order",
            javaType = "java.util.List<dev.mailgateway.mailauth.dkim.DkimResult>")
    public static final String DKIM = "MailAuthDkim";
    /** The DMARC result. {@code DmarcResult}. */
    @Metadata(description = "The DMARC result",
            javaType = "dev.mailgateway.mailauth.dmarc.DmarcResult")
    public static final String DMARC = "MailAuthDmarc";
    /**
     * The method results for Authentication-Results, one per entry, e.g. {@code spf=pass smtp.mailfrom=a@example.com}:
     * {@code mail-auth:results} writes them into the message. {@code List<String>}.
     */
    @Metadata(description = "The method results for Authentication-Results, one per entry, e.g. spf=pass smtp.mailfrom=a@example.com:"
                    + " mail-auth:results writes them into the message",
            javaType = "java.util.List<String>")
    public static final String RESULTS = "MailAuthResults";
    /** Set to true when a block asks for the message to be quarantined (DMARC p=quarantine). Boolean. */
    @Metadata(description = "Set to true when a block asks for the message to be quarantined (DMARC p=quarantine)",
            javaType = "Boolean")
    public static final String QUARANTINE = "MailQuarantine";

    // the headers every scoring block shares (defined with mail-policy), here so that this component's metadata
    // and docs name them too
    @Metadata(description = "The running score: each block adds its points", javaType = "Double")
    public static final String SCORE = MailPolicyConstants.SCORE;
    @Metadata(description = "What the blocks found, one line each", javaType = "java.util.List<String>")
    public static final String REASONS = MailPolicyConstants.REASONS;
    @Metadata(description = "The first refusal a block proposed: copy it to SmtpdReply to refuse (blocks with"
            + " reject=true do)", javaType = "String")
    public static final String REPLY = MailPolicyConstants.REPLY;
}
