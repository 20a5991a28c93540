package dev.mailgateway.filter.content;

import java.util.List;

/**
 * One pass over a message with a streaming MIME parser: every entity's type and file name, the first bytes of
 * every leaf part (to tell an executable by its magic), the decoded text of text parts (bounded), the top-level
 * header fields decoded, and which limits were hit.
 *
 * @param headers    the top-level header fields, in order: name as written, value unfolded with RFC 2047 encoded
 *                   words decoded
 * @param parts      every MIME entity, in order of appearance, the top level first
 * @param text       the decoded text of the text/plain and text/html parts (HTML as is), up to
 *                   {@link ContentLimits#maxTextBytes()} characters, parts separated by a line break
 * @param limitsHit  the names of the limits hit and defects found, each once: {@code MIME_TOO_MANY_PARTS},
 *                   {@code MIME_TOO_DEEP}, {@code MIME_LINE_TOO_LONG}, {@code MIME_TOO_MANY_HEADERS},
 *                   {@code MIME_BAD_ENCODING} (invalid base64 or quoted-printable), {@code MIME_MALFORMED}
 *                   (anything else the parser could not read past, or could read only by guessing: a multipart
 *                   without boundary or without its closing boundary, a header line that is no field); what
 *                   each means exactly: {@link ContentScanner}
 */
public record ContentScan(List<Header> headers, List<Part> parts, String text, List<String> limitsHit) {

    /** More entities than {@link ContentLimits#maxParts()}: the scan stopped there. */
    public static final String MIME_TOO_MANY_PARTS = "MIME_TOO_MANY_PARTS";
    /** A container deeper than {@link ContentLimits#maxDepth()}: its contents were not looked into. */
    public static final String MIME_TOO_DEEP = "MIME_TOO_DEEP";
    /** A line (or a header field) longer than {@link ContentLimits#maxLineLength()}: the scan stopped there. */
    public static final String MIME_LINE_TOO_LONG = "MIME_LINE_TOO_LONG";
    /** A header section with more than {@link ContentLimits#maxHeaderFields()} fields: the scan stopped there. */
    public static final String MIME_TOO_MANY_HEADERS = "MIME_TOO_MANY_HEADERS";
    /** Invalid base64 or quoted-printable content (decoded as well as it goes; the scan went on). */
    public static final String MIME_BAD_ENCODING = "MIME_BAD_ENCODING";
    /** MIME structure a reader cannot be sure of, or could not read past: see {@link ContentScanner}. */
    public static final String MIME_MALFORMED = "MIME_MALFORMED";

    public ContentScan {
        headers = List.copyOf(headers);
        parts = List.copyOf(parts);
        limitsHit = List.copyOf(limitsHit);
    }

    /** One header field. */
    public record Header(String name, String value) {
    }

    /**
     * One MIME entity.
     *
     * @param depth       0 for the top level, +1 inside each multipart or message/rfc822
     * @param mimeType    the declared type, lower case, without parameters ({@code application/octet-stream});
     *                    {@code text/plain} when absent, as RFC 2045 says
     * @param fileName    the file name from Content-Disposition's filename or Content-Type's name, with RFC 2231
     *                    (charset, continuations) and RFC 2047 decoded; null if none
     * @param multipart   whether it is a multipart or message/rfc822 container (its children follow it)
     * @param executable  whether its decoded content starts with the DOS/Windows executable magic {@code MZ}
     *                    (checked for leaf parts that are not text, or that have a file name)
     */
    public record Part(int depth, String mimeType, String fileName, boolean multipart, boolean executable) {
    }
}
