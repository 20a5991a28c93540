package dev.mailgateway.filter.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.parser.ContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.DefaultFieldBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.FieldBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.MimeUtil;
import org.apache.james.mime4j.util.RecycledByteArrayBuffer;

/**
 * What one scan keeps, filled in from mime4j's events. One per scan (not thread-safe); see {@link ContentScanner}
 * for what is kept and found.
 */
final class ScanHandler implements ContentHandler {

    /** Thrown out of the parser when a limit says stop (the finding is recorded first). */
    static final class Stop extends RuntimeException {

        Stop() {
            super("scan stopped at a limit", null, false, false);
        }
    }

    /**
     * Characters of top-level header fields kept: ten times what Postfix takes for a whole header section by
     * default. Fields beyond are not kept (MIME_TOO_MANY_HEADERS), and the scan goes on.
     */
    static final int TOP_HEADER_CHARS = 1024 * 1024;

    /** Buffers a thread's scans share, one scan after the other (nothing in them outlives a scan). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final ContentLimits limits;
    private final Monitor monitor = new Monitor();
    private MimeStreamParser parser;

    private final List<ContentScan.Header> headers = new ArrayList<>();
    private final List<ContentScan.Part> parts = new ArrayList<>();
    private final Scratch scratch = SCRATCH.get();
    private final StringBuilder text = scratch.text();
    private final Set<String> found = new LinkedHashSet<>(4);
    private long headerChars;

    /** Depth of the entity being read: -1 before the top level starts. */
    private int depth = -1;
    private int entities;
    /** Types of the enclosing multiparts, innermost first (a part's default type depends on multipart/digest). */
    private final ArrayDeque<String> multiparts = new ArrayDeque<>();

    // the entity whose header is being read, or whose body comes next
    private boolean inDigest;
    private String type;
    private String typeWithoutBoundary;
    private String dispositionName;
    private String typeName;
    private int partIndex = -1;
    private boolean flat;

    ScanHandler(ContentLimits limits) {
        this.limits = limits;
    }

    /** A parser for this scan, reporting here. */
    MimeStreamParser parser(MimeConfig config) {
        MimeTokenStream tokens = new MimeTokenStream(config, monitor,
                new FieldCheck(new DefaultFieldBuilder(config.getMaxHeaderLen())), null);
        parser = new MimeStreamParser(tokens);
        parser.setContentHandler(this);
        parser.setContentDecoding(true);
        parser.setRecurse();
        return parser;
    }

    void found(String finding) {
        found.add(finding);
    }

    ContentScan result() {
        ContentScan scan = new ContentScan(headers, parts, text.toString(), List.copyOf(found));
        scratch.text(); // a large builder is not kept until the thread's next scan
        return scan;
    }

    @Override
    public void startMessage() {
        startEntity(false);
    }

    @Override
    public void endMessage() {
        depth--;
    }

    @Override
    public void startBodyPart() {
        startEntity("multipart/digest".equals(multiparts.peek()));
    }

    @Override
    public void endBodyPart() {
        depth--;
    }

    private void startEntity(boolean digestChild) {
        depth++;
        entities++;
        if (entities > limits.maxParts()) {
            found(ContentScan.MIME_TOO_MANY_PARTS);
            throw new Stop();
        }
        if (depth > limits.maxDepth()) { // not expected: endHeader keeps containers at the bound from opening
            found(ContentScan.MIME_TOO_DEEP);
            throw new Stop();
        }
        inDigest = digestChild;
        type = null;
        typeWithoutBoundary = null;
        dispositionName = null;
        typeName = null;
        partIndex = -1;
    }

    @Override
    public void startHeader() {
    }

    @Override
    public void field(Field field) {
        String name = field.getName();
        if (depth == 0 && headerChars <= TOP_HEADER_CHARS) {
            ContentScan.Header header = new ContentScan.Header(name, headerValue(field.getBody()));
            headerChars += header.name().length() + header.value().length();
            if (headerChars <= TOP_HEADER_CHARS) {
                headers.add(header);
            } else {
                found(ContentScan.MIME_TOO_MANY_HEADERS);
            }
        }
        if (name.equalsIgnoreCase("content-type")) {
            RawBody body = rawBody(field);
            if (type == null && body != null) {
                mimeType(body);
            }
            if (typeName == null && body != null) {
                typeName = MimeParameters.decoded(body.getParams(), "name");
            }
        } else if (name.equalsIgnoreCase("content-disposition") && dispositionName == null) {
            RawBody body = rawBody(field);
            if (body != null) {
                dispositionName = MimeParameters.decoded(body.getParams(), "filename");
            }
        }
    }

    /** Unfolded (mime4j did that), RFC 2047 encoded words decoded leniently. */
    private static String headerValue(String body) {
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

    private static RawBody rawBody(Field field) {
        try {
            RawField raw = field instanceof RawField r ? r : new RawField(field.getName(), field.getBody());
            return RawFieldParser.DEFAULT.parseRawBody(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The type as mime4j's body descriptor will read it (it does not tell until the body starts, too late to keep a
     * container from being opened): the first Content-Type that is {@code type/subtype}, a multipart only with a
     * boundary parameter.
     */
    private void mimeType(RawBody body) {
        String value = body.getValue();
        if (value == null) {
            return;
        }
        value = value.trim().toLowerCase(Locale.ROOT);
        int slash = value.indexOf('/');
        if (slash < 0) {
            return;
        }
        String major = value.substring(0, slash).trim();
        String minor = value.substring(slash + 1).trim();
        if (major.isEmpty() || minor.isEmpty()) {
            return;
        }
        String candidate = major + "/" + minor;
        if (candidate.startsWith("multipart/") && !hasBoundary(body.getParams())) {
            typeWithoutBoundary = typeWithoutBoundary == null ? candidate : typeWithoutBoundary;
            return;
        }
        type = candidate;
    }

    /** As mime4j decides it: the last boundary parameter has a value. */
    private static boolean hasBoundary(List<NameValuePair> params) {
        boolean boundary = false;
        for (NameValuePair param : params) {
            if (param.getName() != null && param.getName().equalsIgnoreCase("boundary")) {
                boundary = param.getValue() != null;
            }
        }
        return boundary;
    }

    @Override
    public void endHeader() {
        String effective = type != null ? type : inDigest ? "message/rfc822" : "text/plain";
        String listed = effective;
        if (type == null && typeWithoutBoundary != null) {
            listed = typeWithoutBoundary; // read as text/plain, listed as declared
            found(ContentScan.MIME_MALFORMED);
        }
        boolean container = MimeUtil.isMultipart(effective) || MimeUtil.isMessage(effective);
        if (container && depth + 1 > limits.maxDepth()) {
            found(ContentScan.MIME_TOO_DEEP);
            flat = true;
            parser.setFlat(); // this entity's content comes as one body, read through unopened
        }
        partIndex = parts.size();
        parts.add(new ContentScan.Part(depth, listed, dispositionName != null ? dispositionName : typeName,
                container, false));
    }

    @Override
    public void startMultipart(BodyDescriptor bd) {
        multiparts.push(bd.getMimeType() == null ? "" : bd.getMimeType().toLowerCase(Locale.ROOT));
    }

    @Override
    public void endMultipart() {
        multiparts.pop();
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
        if (flat) {
            flat = false;
            parser.setRecurse(); // for the entities after this one
        }
        ContentScan.Part part = partIndex >= 0 ? parts.get(partIndex) : null;
        byte[] buffer = octets();
        int n = fill(in, buffer, 2);
        if (part != null && !part.multipart() && (!part.mimeType().startsWith("text/") || part.fileName() != null)
                && n >= 2 && buffer[0] == 'M' && buffer[1] == 'Z') {
            parts.set(partIndex, new ContentScan.Part(part.depth(), part.mimeType(), part.fileName(), false, true));
        }
        String bodyType = bd.getMimeType() == null ? "" : bd.getMimeType().toLowerCase(Locale.ROOT);
        if ((bodyType.equals("text/plain") || bodyType.equals("text/html"))
                && text.length() < limits.maxTextBytes()) {
            if (text.length() > 0) {
                text.append('\n');
            }
            decodeText(in, buffer, n, MimeParameters.charset(bd.getCharset()).newDecoder());
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

    /** Decodes into the text until the content or the text's bound ends; the first {@code n} octets are read. */
    private void decodeText(InputStream in, byte[] buffer, int n, CharsetDecoder decoder) throws IOException {
        decoder.onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = chars();
        ByteBuffer octetsIn = ByteBuffer.wrap(buffer, 0, n);
        boolean end = false;
        for (;;) {
            out.clear();
            CoderResult result = decoder.decode(octetsIn, out, end);
            if (end && result.isUnderflow()) {
                decoder.flush(out);
            }
            out.flip();
            if (!keep(out)) {
                return;
            }
            if (result.isOverflow()) {
                continue;
            }
            if (end) {
                return;
            }
            octetsIn.compact();
            int r = in.read(buffer, octetsIn.position(), buffer.length - octetsIn.position());
            if (r < 0) {
                end = true;
            } else {
                octetsIn.position(octetsIn.position() + r);
            }
            octetsIn.flip();
        }
    }

    /** Appends what the text's bound allows; whether there is room for more. */
    private boolean keep(CharBuffer decoded) {
        int room = limits.maxTextBytes() - text.length();
        int take = Math.min(room, decoded.remaining());
        text.append(decoded, 0, take);
        return take < room;
    }

    private static void drain(InputStream in, byte[] buffer) throws IOException {
        while (in.read(buffer, 0, buffer.length) >= 0) {
            // decoded and dropped: an invalid encoding anywhere in the part is still found
        }
    }

    private byte[] octets() {
        return scratch.octets;
    }

    private CharBuffer chars() {
        return scratch.chars;
    }

    private static final class Scratch {

        private static final int KEEP_TEXT_CAPACITY = 64 * 1024;

        final byte[] octets = new byte[8192];
        final CharBuffer chars = CharBuffer.allocate(4096);
        private StringBuilder text = new StringBuilder(4096);

        /** The text builder, empty; one that grew large for a large message is not kept for the next. */
        StringBuilder text() {
            if (text.capacity() > KEEP_TEXT_CAPACITY) {
                text = new StringBuilder(4096);
            }
            text.setLength(0);
            return text;
        }
    }

    /**
     * mime4j's decoders and parser report what they tolerate here (this monitor never asks them to stop): invalid
     * base64 and quoted-printable become MIME_BAD_ENCODING; a multipart without its closing boundary and a header
     * line that is no field become MIME_MALFORMED. Tolerated without a finding: line ends other than CRLF in
     * quoted-printable, blanks before a line end, a header section ended by the end of the content.
     */
    private final class Monitor extends DecodeMonitor {

        @Override
        public boolean warn(String error, String dropDesc) {
            if (error == null) {
                return false;
            }
            if (error.startsWith("Unexpected base64 byte") || error.startsWith("Unexpected end of BASE64")
                    || error.startsWith("Unexpected padding") || error.startsWith("Malformed encoded value")
                    || error.startsWith("Unexpected ==")) {
                found(ContentScan.MIME_BAD_ENCODING);
            } else if (error.contains("Body part ended prematurely") || error.contains("Invalid header encountered")) {
                found(ContentScan.MIME_MALFORMED);
            }
            return false;
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }

    /**
     * mime4j's field builder, except that an empty header section is no invalid field: mime4j builds a field from
     * the blank line that ends an empty header section and reports it invalid, which would make every part without
     * header fields malformed. A line that is really no field still is.
     */
    private static final class FieldCheck implements FieldBuilder {

        private final DefaultFieldBuilder fields;

        FieldCheck(DefaultFieldBuilder fields) {
            this.fields = fields;
        }

        @Override
        public void reset() {
            fields.reset();
        }

        @Override
        public void append(ByteArrayBuffer line) throws MimeException {
            fields.append(line);
        }

        @Override
        public RawField build() throws MimeException {
            RecycledByteArrayBuffer raw = fields.getRaw();
            for (int i = 0; i < raw.length(); i++) {
                byte b = raw.byteAt(i);
                if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
                    return fields.build();
                }
            }
            return null; // mime4j skips it
        }

        @Override
        public RecycledByteArrayBuffer getRaw() {
            return fields.getRaw();
        }

        @Override
        public void release() {
            fields.release();
        }
    }
}
