package dev.mailgateway.filter.content;

import java.io.InputStream;

/**
 * Scans a message in one streaming pass (Apache mime4j's {@code MimeStreamParser}) under {@link ContentLimits}: the
 * message is never held in memory as a whole (a 20 MB message spilled to disk is read through a small buffer).
 * Thread-safe; never throws for anything in the message: malformed MIME, invalid encodings and limits are
 * findings in the result. Only an I/O failure of the stream itself is thrown.
 */
public final class ContentScanner {

    public ContentScanner(ContentLimits limits) {
        throw new UnsupportedOperationException("to be written");
    }

    public ContentScan scan(InputStream message) throws java.io.IOException {
        throw new UnsupportedOperationException("to be written");
    }
}
