package dev.mailgateway.filter.content;

/**
 * Bounds on what one scan of a message reads and keeps. A bound that is hit stops or narrows the scan and becomes
 * a named finding ({@link ContentScan#limitsHit()}), never an exception.
 *
 * @param maxHeaderFields fields per header section (top level or part)
 * @param maxLineLength   bytes in one line of the message (header or body)
 * @param maxParts        MIME entities in the whole message (the top level counts as one)
 * @param maxDepth        nesting of multiparts and message/rfc822 parts (the top level is depth 0)
 * @param maxTextBytes    decoded text kept for body rules, all text parts together (characters)
 */
public record ContentLimits(int maxHeaderFields, int maxLineLength, int maxParts, int maxDepth, int maxTextBytes) {

    public static final ContentLimits DEFAULT = new ContentLimits(1000, 100_000, 1000, 30, 512 * 1024);
}
