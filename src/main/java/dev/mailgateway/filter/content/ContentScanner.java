package dev.mailgateway.filter.content;

import java.io.IOException;
import java.io.InputStream;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.io.MaxHeaderLengthLimitException;
import org.apache.james.mime4j.io.MaxHeaderLimitException;
import org.apache.james.mime4j.io.MaxLineLimitException;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.MimeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans a message in one streaming pass (Apache mime4j's {@code MimeStreamParser}) under {@link ContentLimits}: the
 * message is never held in memory as a whole (a 20 MB message spilled to disk is read through a small buffer).
 * Thread-safe; never throws for anything in the message: malformed MIME, invalid encodings and limits are
 * findings in the result. Only an I/O failure of the stream itself is thrown.
 *
 * <p>What one scan keeps: the top-level header fields (decoded), each entity's type, file name and whether its
 * content starts with {@code MZ}, and up to {@link ContentLimits#maxTextBytes()} characters of decoded text from
 * text/plain and text/html parts. Every other octet is read through and dropped (base64 and quoted-printable are
 * decoded on the way, so an invalid encoding anywhere is found).
 *
 * <p>Findings ({@link ContentScan#limitsHit()}), each at most once, in the order found:
 * <ul>
 * <li>{@code MIME_TOO_MANY_PARTS}: entity number {@code maxParts + 1} starts; the scan stops there.</li>
 * <li>{@code MIME_TOO_DEEP}: a multipart or message/rfc822 at depth {@code maxDepth} (its contents would be deeper):
 *     it is listed, its contents are read through without being looked into, and the scan goes on after it.</li>
 * <li>{@code MIME_LINE_TOO_LONG}: a header line, or a header field with its folded lines, of more than
 *     {@code maxLineLength} octets (line break not counted); the scan stops there. Body lines are not bounded by
 *     the parser (they are streamed, not kept).</li>
 * <li>{@code MIME_TOO_MANY_HEADERS}: a header section (top level or part) with more than {@code maxHeaderFields}
 *     fields; the scan stops there. Also top-level fields of more than 1 MiB together: those beyond are not kept,
 *     and the scan goes on.</li>
 * <li>{@code MIME_BAD_ENCODING}: a base64 body with octets outside the alphabet, a misplaced pad or a truncated
 *     last group; a quoted-printable body with {@code =} not followed by two hex digits. Decoded as well as it goes;
 *     the scan goes on.</li>
 * <li>{@code MIME_MALFORMED}: a multipart/* without a boundary parameter (read as text/plain, as mime4j does, but
 *     listed with its declared type), a multipart whose closing boundary never comes, a header line that is not a
 *     field (neither {@code Name:} nor a continuation), or anything the parser could not read past (the scan stops
 *     there).</li>
 * </ul>
 */
public final class ContentScanner {

    private static final Logger LOG = LoggerFactory.getLogger(ContentScanner.class);

    private final ContentLimits limits;
    private final MimeConfig config;

    public ContentScanner(ContentLimits limits) {
        if (limits.maxHeaderFields() < 1 || limits.maxLineLength() < 1 || limits.maxParts() < 1
                || limits.maxDepth() < 0 || limits.maxTextBytes() < 0) {
            throw new IllegalArgumentException("content limits must be positive (depth and text may be 0): " + limits);
        }
        this.limits = limits;
        // mime4j counts the line break and fails when a line reaches its bound: + 3 lets maxLineLength octets and CRLF
        // through. Built once: MimeConfig is immutable and shared by every scan.
        int lineBound = (int) Math.min(Integer.MAX_VALUE, limits.maxLineLength() + 3L);
        this.config = MimeConfig.custom()
                .setStrictParsing(false)
                .setMaxLineLen(lineBound)
                .setMaxHeaderLen(lineBound)
                .setMaxHeaderCount(limits.maxHeaderFields())
                .setMaxContentLen(-1)
                .setCountLineNumbers(false)
                .setMalformedHeaderStartsBody(false)
                .build();
    }

    public ContentLimits limits() {
        return limits;
    }

    public ContentScan scan(InputStream message) throws IOException {
        ScanHandler handler = new ScanHandler(limits);
        MimeStreamParser parser = handler.parser(config);
        try {
            parser.parse(new Source(message));
        } catch (Source.Failure failure) {
            if (failure.getCause() instanceof RuntimeException e) {
                throw e;
            }
            throw (IOException) failure.getCause();
        } catch (ScanHandler.Stop stop) {
            // a limit, already recorded
        } catch (MaxHeaderLimitException e) {
            handler.found(ContentScan.MIME_TOO_MANY_HEADERS);
        } catch (MimeException | IOException | RuntimeException e) {
            if (lineTooLong(e)) {
                handler.found(ContentScan.MIME_LINE_TOO_LONG);
            } else {
                LOG.debug("MIME parser stopped: {}", e.toString());
                handler.found(ContentScan.MIME_MALFORMED);
            }
        }
        return handler.result();
    }

    private static boolean lineTooLong(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MaxLineLimitException || t instanceof MaxHeaderLengthLimitException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The caller's stream, its failures carried through the parser unchanged: mime4j reports some findings of its
     * own as IOException (a line too long is a {@link MaxLineLimitException}), and the scan turns whatever mime4j
     * throws into a finding. Closing the stream is the caller's.
     */
    private static final class Source extends InputStream {

        private final InputStream in;

        Source(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() {
            try {
                return in.read();
            } catch (IOException | RuntimeException e) {
                throw new Failure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw new Failure(e);
            }
        }

        @Override
        public void close() {
        }

        static final class Failure extends RuntimeException {

            Failure(Exception cause) {
                super(cause.getMessage(), cause, false, false);
            }
        }
    }
}
