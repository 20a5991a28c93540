package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Message content on its way into the {@link MessageSink}: applies the bare-line-ending policy and the size limit,
 * and for DATA also removes dot-stuffing and finds the end of data, which is only CRLF "." CRLF. A bare CR or LF
 * never ends a line that could end the data: that is what SMTP smuggling (CVE-2023-51764) feeds on. BDAT content
 * (RFC 3030) is length-delimited: no dots, no end marker, the same line-ending policy. Data over the size limit is
 * read to its end but not kept.
 */
final class ContentFilter {

    private enum State {
        /** At the start of a line. */
        LINE_START,
        /** Inside a line. */
        IN_LINE,
        /** After a CR inside a line: CRLF ends the line, anything else makes it a bare CR. */
        AFTER_CR,
        /** DATA: a "." at the start of a line: stuffing, a lone "." line, or the end of data. */
        DOT,
        /** DATA: "." CR at the start of a line. */
        DOT_CR
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final MessageSink sink;
    private final long maxSize;
    private final boolean normalize;
    private final boolean dotStuffed;
    private State state = State.LINE_START;
    /** Whether the current line began after a real CRLF (or at the start of the data). */
    private boolean cleanLineStart = true;
    private boolean bareLineEnding;
    private boolean tooBig;
    private long contentSize;

    /**
     * @param dotStuffed true for DATA (dot-stuffing, ends at CRLF.CRLF), false for BDAT chunks
     */
    ContentFilter(MessageSink sink, long maxSize, BareLineEndings bareLineEndings, boolean dotStuffed) {
        this.sink = sink;
        this.maxSize = maxSize;
        this.normalize = bareLineEndings == BareLineEndings.NORMALIZE;
        this.dotStuffed = dotStuffed;
    }

    /**
     * Takes what it can from {@code in}.
     *
     * @return true when the end of DATA was consumed (never for BDAT, which takes all of {@code in})
     */
    boolean consume(ByteBuf in) {
        while (in.isReadable()) {
            int i = in.readerIndex();
            byte b = in.getByte(i);
            switch (state) {
                case LINE_START -> {
                    if (b == '.' && dotStuffed) {
                        in.readerIndex(i + 1);
                        state = State.DOT;
                    } else {
                        state = State.IN_LINE;
                    }
                }
                case IN_LINE -> {
                    int stop = in.forEachByte(i, in.readableBytes(), ByteProcessor.FIND_CRLF);
                    int end = stop < 0 ? in.writerIndex() : stop;
                    keep(in, i, end - i);
                    in.readerIndex(end);
                    if (stop >= 0) {
                        in.readerIndex(stop + 1);
                        if (in.getByte(stop) == CR) {
                            state = State.AFTER_CR;
                        } else {
                            bareLineEnding(); // LF without CR
                        }
                    }
                }
                case AFTER_CR -> {
                    if (b == LF) {
                        in.readerIndex(i + 1);
                        lineEnded();
                    } else {
                        bareLineEnding(); // CR without LF; b is looked at again as the start of a line
                    }
                }
                case DOT -> {
                    if (b == CR) {
                        in.readerIndex(i + 1);
                        state = State.DOT_CR;
                    } else if (b == LF) {
                        in.readerIndex(i + 1);
                        keepLoneDot();
                        bareLineEnding();
                    } else {
                        state = State.IN_LINE; // a stuffed dot: dropped, the rest of the line is content
                    }
                }
                case DOT_CR -> {
                    if (b == LF) {
                        in.readerIndex(i + 1);
                        if (cleanLineStart) {
                            return true;
                        }
                        keepLoneDot();
                        lineEnded();
                    } else {
                        keepLoneDot();
                        bareLineEnding();
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return false;
    }

    /** BDAT LAST: the content ends here; a CR left waiting for its LF is a bare CR. */
    void endOfChunks() {
        if (state == State.AFTER_CR) {
            bareLineEnding();
        }
    }

    private void lineEnded() {
        keepCrlf();
        state = State.LINE_START;
        cleanLineStart = true;
    }

    private void bareLineEnding() {
        bareLineEnding = true;
        if (normalize) {
            keepCrlf();
        }
        state = State.LINE_START;
        cleanLineStart = false;
    }

    /** A line that is only "." but does not end the data: it is content. */
    private void keepLoneDot() {
        if (keeping(1)) {
            sink.writeByte((byte) '.');
        }
    }

    private void keepCrlf() {
        if (keeping(2)) {
            sink.writeCrlf();
        }
    }

    private void keep(ByteBuf in, int index, int length) {
        if (length > 0 && keeping(length)) {
            sink.write(in, index, length);
        }
    }

    /** Counts content and says whether to store it: not once the message is refused anyway. */
    private boolean keeping(int length) {
        contentSize += length;
        if (contentSize > maxSize) {
            tooBig = true;
        }
        return !tooBig && !(bareLineEnding && !normalize);
    }

    /** Whether the message must be refused for bare line endings (under the reject policy). */
    boolean refusesBareLineEndings() {
        return bareLineEnding && !normalize;
    }

    boolean hadBareLineEnding() {
        return bareLineEnding;
    }

    boolean isTooBig() {
        return tooBig;
    }

    /** Bytes of message content received (after unstuffing), stored or not. */
    long contentSize() {
        return contentSize;
    }
}
