package dev.mailgateway.filter;

import dev.mailgateway.policy.MailPolicyConstants;
import org.apache.camel.spi.Metadata;

/**
 * Headers the {@code mail-filter} blocks add (besides the shared {@code MailScore}, {@code MailReasons},
 * {@code MailReply}), so later steps and the route's decisions read them.
 */
public final class MailFilterConstants {

    private MailFilterConstants() {
    }

    /**
     * What {@code mail-filter:verdict} decided from the score and the engines' proposals: {@code pass}, {@code tag},
     * {@code quarantine}, {@code tempfail} or {@code reject}. For the last two it also sets {@code MailReply} to the
     * reply to give. String.
     */
    @Metadata(description = "What mail-filter:verdict decided: pass, tag, quarantine, tempfail or reject (the last two also set"
                    + " MailReply)",
            javaType = "String")
    public static final String VERDICT = "MailVerdict";
    /**
     * The strongest action an engine proposed: {@code pass}, {@code tag}, {@code rewrite_subject}, {@code tempfail},
     * {@code reject} (Rspamd's actions; spamd's "Spam: True" is {@code tag}). String.
     */
    @Metadata(description = "The strongest action an engine proposed: pass, tag, rewrite_subject, tempfail, reject",
            javaType = "String")
    public static final String SPAM_ACTION = "MailSpamAction";
    /** Each engine's report, in the order the steps ran. {@code List<SpamReport>}. */
    @Metadata(description = "Each engine's report, in the order the steps ran",
            javaType = "java.util.List<dev.mailgateway.filter.engine.SpamReport>")
    public static final String SPAM_REPORTS = "MailSpamReports";
    /**
     * Set to true when an engine could not give its opinion (timeout, down, garbage) and the message went on
     * without it ({@code onEngineFailure=accept}): the message is tagged {@code X-Spam-Status: Unknown}. Boolean.
     */
    @Metadata(description = "Set to true when an engine could not give its opinion and the message went on without it"
                    + " (onEngineFailure=accept): tagged X-Spam-Status: Unknown",
            javaType = "Boolean")
    public static final String SPAM_UNKNOWN = "MailSpamUnknown";
    /**
     * Set to true when an engine failed and {@code onEngineFailure=tempfail}: the verdict is {@code tempfail}
     * (451 4.7.1) so the client keeps the message and tries again later. Boolean.
     */
    @Metadata(description = "Set to true when an engine failed and onEngineFailure=tempfail: the verdict is tempfail (451 4.7.1)",
            javaType = "Boolean")
    public static final String SPAM_TEMPFAIL = "MailSpamTempfail";
    /** The attachments {@code mail-filter:attachments} blocked: file names (or MIME types). {@code List<String>}. */
    @Metadata(description = "The attachments mail-filter:attachments blocked: file names (or MIME types)",
            javaType = "java.util.List<String>")
    public static final String ATTACHMENTS_BLOCKED = "MailAttachmentsBlocked";

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
