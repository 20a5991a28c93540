package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Reads message data after DATA: removes dot-stuffing and finds the end of data, which is only CRLF "." CRLF.
 * A bare CR or LF never ends a line that could end the data: that is what SMTP smuggling (CVE-2023-51764) feeds
 * on. Bare line endings are noted (the message is then refused) or turned into CRLF, as configured. Data over the
 * size limit is read to its end but not kept.
 */
final class DataReader implements InputReader {

    private enum State {
        /** At the start of a line. */
        LINE_START,
        /** Inside a line. */
        IN_LINE,
        /** After a CR inside a line: CRLF ends the line, anything else makes it a bare CR. */
        AFTER_CR,
        /** A "." at the start of a line: stuffing, a lone "." line, or the end of data. */
        DOT,
        /** "." CR at the start of a line. */
        DOT_CR
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final MessageBuffer buffer;
    private final long maxSize;
    private final boolean normalize;
    private State state = State.LINE_START;
    /** Whether the current line began after a real CRLF (or at the start of the data). */
    private boolean cleanLineStart = true;
    private boolean bareLineEnding;
    private boolean tooBig;
    private long contentSize;

    DataReader(MessageBuffer buffer, long maxSize, BareLineEndings bareLineEndings) {
        this.buffer = buffer;
        this.maxSize = maxSize;
        this.normalize = bareLineEndings == BareLineEndings.NORMALIZE;
    }

    @Override
    public boolean read(ByteBuf in, SmtpSession session) {
        if (readToEnd(in)) {
            session.dataEnded(this);
            return true;
        }
        return false;
    }

    /** @return true when the end of data was consumed */
    boolean readToEnd(ByteBuf in) {
        while (in.isReadable()) {
            int i = in.readerIndex();
            byte b = in.getByte(i);
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
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
            buffer.writeByte((byte) '.');
        }
    }

    private void keepCrlf() {
        if (keeping(2)) {
            buffer.writeCrlf();
        }
    }

    private void keep(ByteBuf in, int index, int length) {
        if (length > 0 && keeping(length)) {
            buffer.write(in, index, length);
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
