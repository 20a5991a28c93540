package dev.mailgateway.filter.content;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.parser.ContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.DefaultFieldBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * What one scan keeps, filled in from mime4j's events: this class lists the entities and reads their bodies
 * through, and hands the rest on ({@link TopHeaderFields}, {@link EntityHeader}, {@link MimeNesting},
 * {@link BodyText}, {@link ParserMonitor}). One per scan (not thread-safe); see {@link ContentScanner} for what is
 * kept and found.
 */
final class ScanHandler implements ContentHandler {

    /** Thrown out of the parser when a limit says stop (the finding is recorded first). */
    static final class Stop extends RuntimeException {

        Stop() {
            super("scan stopped at a limit", null, false, false);
        }
    }

    private final Findings findings = new Findings();
    private final MimeNesting nesting;
    private final TopHeaderFields headers = new TopHeaderFields(findings);
    /** The entity whose header is being read, or whose body comes next. */
    private final EntityHeader entity = new EntityHeader();
    private final List<ContentScan.Part> parts = new ArrayList<>();
    private int partIndex = -1;
    private final BodyText text;

    ScanHandler(ContentLimits limits) {
        this.nesting = new MimeNesting(limits, findings);
        this.text = new BodyText(limits.maxTextBytes());
    }

    /** A parser for this scan, reporting here. */
    MimeStreamParser parser(MimeConfig config) {
        MimeTokenStream tokens = new MimeTokenStream(config, new ParserMonitor(findings),
                new HeaderFieldBuilder(new DefaultFieldBuilder(config.getMaxHeaderLen())), null);
        MimeStreamParser parser = new MimeStreamParser(tokens);
        parser.setContentHandler(this);
        parser.setContentDecoding(true);
        parser.setRecurse();
        nesting.readBy(parser);
        return parser;
    }

    void found(String finding) {
        findings.add(finding);
    }

    ContentScan result() {
        return new ContentScan(headers.list(), parts, text.result(), findings.list());
    }

    @Override
    public void startMessage() {
        startEntity(false);
    }

    @Override
    public void endMessage() {
        nesting.leave();
    }

    @Override
    public void startBodyPart() {
        startEntity(nesting.inDigest());
    }

    @Override
    public void endBodyPart() {
        nesting.leave();
    }

    private void startEntity(boolean digestChild) {
        nesting.enter();
        entity.start(digestChild);
        partIndex = -1;
    }

    @Override
    public void startHeader() {
    }

    @Override
    public void field(Field field) {
        if (nesting.depth() == 0) {
            headers.add(field);
        }
        entity.field(field);
    }

    @Override
    public void endHeader() {
        String effective = entity.effectiveType();
        if (entity.multipartWithoutBoundary()) {
            found(ContentScan.MIME_MALFORMED); // read as text/plain, listed as declared
        }
        boolean container = MimeUtil.isMultipart(effective) || MimeUtil.isMessage(effective);
        nesting.headerEnds(container);
        partIndex = parts.size();
        parts.add(new ContentScan.Part(nesting.depth(), entity.listedType(), entity.fileName(), container, false));
    }

    @Override
    public void startMultipart(BodyDescriptor bd) {
        nesting.startMultipart(bd);
    }

    @Override
    public void endMultipart() {
        nesting.endMultipart();
    }

    @Override
    public void preamble(InputStream is) {
    }

    @Override
    public void epilogue(InputStream is) {
    }

    @Override
    public void raw(InputStream is) {
    }

    @Override
    public void body(BodyDescriptor bd, InputStream in) throws IOException {
        nesting.bodyStarts();
        ContentScan.Part part = partIndex >= 0 ? parts.get(partIndex) : null;
        byte[] buffer = text.octets();
        int n = fill(in, buffer, 2);
        if (part != null && !part.multipart() && (!part.mimeType().startsWith("text/") || part.fileName() != null)
                && n >= 2 && buffer[0] == 'M' && buffer[1] == 'Z') {
            parts.set(partIndex, new ContentScan.Part(part.depth(), part.mimeType(), part.fileName(), false, true));
        }
        String bodyType = bd.getMimeType() == null ? "" : bd.getMimeType().toLowerCase(Locale.ROOT);
        if ((bodyType.equals("text/plain") || bodyType.equals("text/html")) && !text.full()) {
            text.add(in, buffer, n, MimeParameters.charset(bd.getCharset()).newDecoder());
        }
        drain(in, buffer);
    }

    /** Reads until {@code min} octets are in the buffer or the content ends; how many there are. */
    private static int fill(InputStream in, byte[] buffer, int min) throws IOException {
        int n = 0;
        while (n < min) {
            int r = in.read(buffer, n, buffer.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private static void drain(InputStream in, byte[] buffer) throws IOException {
        while (in.read(buffer, 0, buffer.length) >= 0) {
            // decoded and dropped: an invalid encoding anywhere in the part is still found
        }
    }
}
