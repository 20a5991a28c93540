package dev.mailgateway.filter.content;

import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.Field;

/**
 * The message's top-level header fields as a scan keeps them ({@link ContentScan#headers()}): decoded, and no more
 * than {@link #TOP_HEADER_CHARS} characters of them.
 */
final class TopHeaderFields {

    /**
     * Characters of top-level header fields kept: ten times what Postfix takes for a whole header section by
     * default. Fields beyond are not kept (MIME_TOO_MANY_HEADERS), and the scan goes on.
     */
    static final int TOP_HEADER_CHARS = 1024 * 1024;

    private final Findings findings;
    private final List<ContentScan.Header> headers = new ArrayList<>();
    private long chars;

    TopHeaderFields(Findings findings) {
        this.findings = findings;
    }

    /** One more top-level field, kept if it fits. */
    void add(Field field) {
        if (chars > TOP_HEADER_CHARS) {
            return;
        }
        ContentScan.Header header = new ContentScan.Header(field.getName(), value(field.getBody()));
        chars += header.name().length() + header.value().length();
        if (chars <= TOP_HEADER_CHARS) {
            headers.add(header);
        } else {
            findings.add(ContentScan.MIME_TOO_MANY_HEADERS);
        }
    }

    List<ContentScan.Header> list() {
        return headers;
    }

    /** Unfolded (mime4j did that), RFC 2047 encoded words decoded leniently. */
    private static String value(String body) {
        if (body == null) {
            return "";
        }
        String value = body.strip();
        if (value.contains("=?")) {
            try {
                value = DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
            } catch (RuntimeException e) {
                // as written
            }
        }
        return value;
    }
}
