package dev.mailgateway.filter.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.io.InputStream;

/**
 * The message as chunks for {@link ChunkedWriteHandler}: exactly {@code size} bytes, or a failure. Read as the
 * connection takes them, 64 KB at a time, so a large message is never held in memory.
 */
final class MessageChunks implements ChunkedInput<ByteBuf> {

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final long size;
    private long sent;
    private boolean closed;
    /** Why the message could not be read, when that is why the write failed. */
    IOException failure;

    MessageChunks(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    @Override
    public boolean isEndOfInput() {
        return closed || sent == size;
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (closed) {
            return null;
        }
        int want = (int) Math.min(CHUNK, size - sent);
        ByteBuf chunk = want == 0 ? Unpooled.EMPTY_BUFFER : allocator.buffer(want);
        try {
            while (chunk.readableBytes() < want) {
                if (chunk.writeBytes(in, want - chunk.readableBytes()) < 0) {
                    throw new IOException("the message ended after " + (sent + chunk.readableBytes())
                            + " bytes, not " + size);
                }
            }
            sent += want;
            if (sent == size && in.read() >= 0) {
                throw new IOException("the message is longer than its size, " + size + " bytes");
            }
            return chunk;
        } catch (IOException | RuntimeException e) {
            chunk.release();
            failure = e instanceof IOException io ? io : new IOException(e);
            throw failure;
        }
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    public long progress() {
        return sent;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing more is read from it
            }
        }
    }
}
