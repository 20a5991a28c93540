package dev.mailgateway.filter.content;

import java.util.Collection;
import java.util.List;

/**
 * Blocked file extensions and MIME types, and executables by content (MZ), found anywhere in the message
 * (nested multiparts, message/rfc822 parts). Archives are judged by their name only (never opened).
 */
public final class AttachmentPolicy {

    public static final List<String> DEFAULT_EXTENSIONS = List.of("exe");
    public static final List<String> DEFAULT_TYPES = List.of();

    /** Extensions without the dot, case-insensitive ({@code exe}); MIME types lower case ({@code application/x-msdownload}). */
    public AttachmentPolicy(Collection<String> blockedExtensions, Collection<String> blockedTypes) {
        throw new UnsupportedOperationException("to be written");
    }

    /** Every part the policy blocks, in order (empty: the message passes). */
    public List<BlockedAttachment> check(ContentScan scan) {
        throw new UnsupportedOperationException("to be written");
    }
}
