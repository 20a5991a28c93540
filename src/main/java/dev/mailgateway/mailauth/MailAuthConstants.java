package dev.mailgateway.mailauth;

/**
 * Headers the {@code mail-auth} blocks add (besides the shared {@code MailScore}, {@code MailReasons},
 * {@code MailReply}), so later steps and the route's decisions read them.
 */
public final class MailAuthConstants {

    private MailAuthConstants() {
    }

    /** The SPF result of the MAIL FROM identity (the HELO identity for the null sender). {@code SpfResult}. */
    public static final String SPF = "MailAuthSpf";
    /** Every DKIM signature's result, in header order. {@code List<DkimResult>}. */
    public static final String DKIM = "MailAuthDkim";
    /** The DMARC result. {@code DmarcResult}. */
    public static final String DMARC = "MailAuthDmarc";
    /**
     * The method results for Authentication-Results, one per entry, e.g. {@code spf=pass smtp.mailfrom=a@example.com}:
     * {@code mail-auth:results} writes them into the message. {@code List<String>}.
     */
    public static final String RESULTS = "MailAuthResults";
    /** Set to true when a block asks for the message to be quarantined (DMARC p=quarantine). Boolean. */
    public static final String QUARANTINE = "MailQuarantine";
}
