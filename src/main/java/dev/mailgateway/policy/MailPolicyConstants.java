package dev.mailgateway.policy;

import org.apache.camel.spi.Metadata;

/**
 * Headers the {@code mail-policy} blocks add to the exchange (the same ones the authentication and filtering blocks
 * use), so a route reads every block's finding the same way and decides.
 */
public final class MailPolicyConstants {

    private MailPolicyConstants() {
    }

    /** The running score: each block adds its points (an allowlist subtracts). Double. */
    @Metadata(description = "The running score: each block adds its points (an allowlist subtracts)",
            javaType = "Double")
    public static final String SCORE = "MailScore";
    /** What the blocks found, one line each, e.g. {@code DNSBL zen.example=127.0.0.2 (3)}. {@code List<String>}. */
    @Metadata(description = "What the blocks found, one line each, e.g. DNSBL zen.example=127.0.0.2 (3)",
            javaType = "java.util.List<String>")
    public static final String REASONS = "MailReasons";
    /**
     * The first refusal a block proposed, e.g. {@code 554 5.7.1 Service unavailable; client [192.0.2.1] blocked
     * using zen.example}: copy it to SmtpdReply to refuse. Blocks with {@code reject=true} do that themselves.
     * String.
     */
    @Metadata(description = "The first refusal a block proposed: copy it to SmtpdReply to refuse (blocks with reject=true do)",
            javaType = "String")
    public static final String REPLY = "MailReply";
}
