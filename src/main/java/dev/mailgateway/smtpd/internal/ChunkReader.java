package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBuf;

/**
 * After BDAT n: exactly n bytes of message content (RFC 3030), through the {@link ContentFilter}, or thrown away
 * when the chunk is refused (the bytes must still be read, or they would be taken for commands).
 */
final class ChunkReader implements InputReader {

    private final ContentFilter filter;
    private long remaining;

    /** @param filter null to read the chunk and throw it away */
    ChunkReader(ContentFilter filter, long size) {
        this.filter = filter;
        this.remaining = size;
    }

    @Override
    public boolean readsContent() {
        return true;
    }

    @Override
    public boolean read(ByteBuf in, SmtpSession session) {
        int n = (int) Math.min(remaining, in.readableBytes());
        if (filter != null) {
            ByteBuf chunk = in.slice(in.readerIndex(), n);
            filter.consume(chunk);
        }
        in.skipBytes(n);
        remaining -= n;
        if (remaining > 0) {
            if (filter != null) {
                session.contentReceived();
            }
            return false;
        }
        session.chunkEnded();
        return true;
    }
}
