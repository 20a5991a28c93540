package dev.mailgateway.mailauth.dkim;

import java.util.List;

/**
 * Canonicalizes a body as it streams past (RFC 6376 §3.4.3, §3.4.4) into the hashes that want it: nothing is kept
 * but a few octets of state, so the size of the body does not matter. Empty lines are counted rather than written,
 * because only what follows them decides whether they are the body's trailing ones (which both canonicalizations
 * drop); in relaxed, a run of WSP is held back the same way until a visible octet shows it is not at a line's end.
 *
 * <p>Lines end at LF, with the CR before it if there is one: a bare LF is a line end (as when a message stored with
 * LF line ends is read), a CR without LF is content.
 */
final class BodyCanonicalizer {

    private static final int CHUNK = 8192;

    private final boolean relaxed;
    private final List<Sink> sinks;
    private final byte[] out = new byte[CHUNK];
    private int pending;
    private long length;
    private long lineEnds; // line ends after the last content octet, not written yet
    private boolean space; // relaxed: WSP seen since the last content octet, not written yet
    private boolean carriageReturn; // a CR that may be the start of CRLF
    private boolean content; // any content octet at all

    /** Where canonicalized octets go: the body hashes (and, in tests, a buffer to look at). */
    interface Sink {
        void update(byte[] bytes, int offset, int length);
    }

    BodyCanonicalizer(Canonicalization canonicalization, List<? extends Sink> sinks) {
        this.relaxed = canonicalization == Canonicalization.RELAXED;
        this.sinks = List.copyOf(sinks);
    }

    void update(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (carriageReturn) {
                carriageReturn = false;
                if (b == '\n') {
                    lineEnd();
                    continue;
                }
                content((byte) '\r');
            }
            if (b == '\r') {
                carriageReturn = true;
            } else if (b == '\n') {
                lineEnd();
            } else if (relaxed && Canonicalization.isWsp(b)) {
                space = true;
            } else {
                content(b);
            }
        }
    }

    /**
     * The end of the body: one CRLF after the last line with content (there was one, or the body did not end in
     * one); an empty body is CRLF in simple and nothing in relaxed.
     */
    void finish() {
        if (carriageReturn) {
            carriageReturn = false;
            content((byte) '\r');
        }
        if (content || !relaxed) {
            emit((byte) '\r');
            emit((byte) '\n');
        }
        flush();
    }

    /** Octets of canonicalized body so far (all of it after {@link #finish()}): what l= counts. */
    long length() {
        return length;
    }

    private void lineEnd() {
        space = false; // WSP at the end of a line is no part of it in relaxed
        lineEnds++;
    }

    private void content(byte b) {
        for (; lineEnds > 0; lineEnds--) { // the empty lines before it were not the trailing ones after all
            emit((byte) '\r');
            emit((byte) '\n');
        }
        if (space) {
            space = false;
            emit((byte) ' ');
        }
        emit(b);
        content = true;
    }

    private void emit(byte b) {
        if (pending == CHUNK) {
            flush();
        }
        out[pending++] = b;
        length++;
    }

    private void flush() {
        for (Sink sink : sinks) {
            sink.update(out, 0, pending);
        }
        pending = 0;
    }
}
