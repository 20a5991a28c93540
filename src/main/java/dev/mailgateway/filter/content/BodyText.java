package dev.mailgateway.filter.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;

/**
 * The decoded text of a scan's text parts ({@link ContentScan#text()}), up to {@link ContentLimits#maxTextBytes()}
 * characters, parts separated by a line break; decoded through buffers that a thread's scans share.
 */
final class BodyText {

    /** Buffers a thread's scans share, one scan after the other (nothing in them outlives a scan). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int maxChars;
    private final Scratch scratch = SCRATCH.get();
    private final StringBuilder text = scratch.text();

    BodyText(int maxChars) {
        this.maxChars = maxChars;
    }

    /** The thread's buffer for a part's octets. */
    byte[] octets() {
        return scratch.octets;
    }

    /** Whether the text's bound is reached (a text part then is read through without being kept). */
    boolean full() {
        return text.length() >= maxChars;
    }

    /**
     * One more text part: decoded into the text until the content or the text's bound ends. The first {@code n}
     * octets of the content are read already, into {@code buffer}.
     */
    void add(InputStream in, byte[] buffer, int n, CharsetDecoder decoder) throws IOException {
        if (text.length() > 0) {
            text.append('\n');
        }
        decode(in, buffer, n, decoder);
    }

    /** The text, once the scan is done. */
    String result() {
        String result = text.toString();
        scratch.text(); // a large builder is not kept until the thread's next scan
        return result;
    }

    private void decode(InputStream in, byte[] buffer, int n, CharsetDecoder decoder) throws IOException {
        decoder.onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = scratch.chars;
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
        int room = maxChars - text.length();
        int take = Math.min(room, decoded.remaining());
        text.append(decoded, 0, take);
        return take < room;
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
}
