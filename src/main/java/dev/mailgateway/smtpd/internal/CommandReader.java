package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Splits command lines. A line ends at LF (a CR before it is dropped): lenient as Postfix is for commands; the
 * strict CRLF rule matters for message data, where {@link DataReader} applies it. A line longer than the limit is
 * skipped to its end and answered with 500 5.5.2, without ever holding more than the limit in memory.
 */
final class CommandReader implements InputReader {

    private final int maxLineLength;
    private boolean skippingLongLine;

    CommandReader(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    @Override
    public boolean read(ByteBuf in, SmtpSession session) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (skippingLongLine || in.readableBytes() > maxLineLength + 1) {
                skippingLongLine = true;
                in.skipBytes(in.readableBytes());
            }
            return false;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        in.readerIndex(lf + 1);
        if (skippingLongLine || end - start > maxLineLength) {
            skippingLongLine = false;
            session.lineTooLong();
        } else {
            session.command(in.toString(start, end - start, StandardCharsets.UTF_8));
        }
        return true;
    }
}
