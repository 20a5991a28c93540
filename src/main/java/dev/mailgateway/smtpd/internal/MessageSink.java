package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Collects the bytes of one message as they arrive: in a growable array up to the spill threshold, then in
 * blocks handed to a {@link SpillWriter}, so a message's heap use is bounded by configuration, not by its size.
 * Memory is taken for bytes that arrived, never for bytes promised: the array starts small and doubles, whatever
 * SIZE= the client declared (a SIZE=25M session parked after 354 once reserved the whole spill threshold, and a
 * few hundred of those filled the heap). Used on the network thread only.
 */
final class MessageSink {

    private static final int INITIAL = 4096;
    private static final int BLOCK = 64 * 1024;

    private final SpillSettings spill;
    private byte[] memory;
    private int memorySize;
    private SpillWriter writer;
    private byte[] block;
    private int blockSize;
    private long size;

    MessageSink(SpillSettings spill) {
        this.spill = spill;
        this.memory = new byte[INITIAL];
    }

    void write(ByteBuf src, int index, int length) {
        prepare(length);
        if (writer == null) {
            src.getBytes(index, memory, memorySize, length);
            memorySize += length;
            return;
        }
        while (length > 0) {
            int n = Math.min(length, BLOCK - blockSize);
            src.getBytes(index, block, blockSize, n);
            advance(n);
            index += n;
            length -= n;
        }
    }

    void write(byte[] src) {
        prepare(src.length);
        if (writer == null) {
            System.arraycopy(src, 0, memory, memorySize, src.length);
            memorySize += src.length;
            return;
        }
        for (int offset = 0; offset < src.length; ) {
            int n = Math.min(src.length - offset, BLOCK - blockSize);
            System.arraycopy(src, offset, block, blockSize, n);
            advance(n);
            offset += n;
        }
    }

    void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void writeCrlf() {
        write(CRLF);
    }

    void writeByte(byte b) {
        write(new byte[] {b});
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** Makes room for {@code length} more bytes: grows the array, or starts spilling past the threshold. */
    private void prepare(int length) {
        size += length;
        if (writer != null) {
            return;
        }
        if (memorySize + (long) length <= spill.threshold()) {
            if (memorySize + length > memory.length) {
                memory = Arrays.copyOf(memory, (int) Math.min(spill.threshold(),
                        Math.max(memorySize + (long) length, memory.length * 2L)));
            }
            return;
        }
        writer = new SpillWriter(spill);
        writer.add(memory, memorySize);
        memory = null;
        block = new byte[BLOCK];
    }

    private void advance(int n) {
        blockSize += n;
        if (blockSize == BLOCK) {
            writer.add(block, BLOCK);
            block = new byte[BLOCK];
            blockSize = 0;
        }
    }

    long size() {
        return size;
    }

    /** True when the disk is behind: stop reading from the client until {@link #whenDrained} calls back. */
    boolean isBackedUp() {
        return writer != null && writer.isBackedUp();
    }

    void whenDrained(Runnable task) {
        writer.whenDrained(task);
    }

    /** The whole message, once every byte is in memory or on disk. */
    CompletableFuture<MessageContent> finish() {
        if (writer == null) {
            byte[] exact = memorySize == memory.length ? memory : Arrays.copyOf(memory, memorySize);
            memory = null;
            return CompletableFuture.completedFuture(MessageContent.inMemory(exact));
        }
        if (blockSize > 0) {
            writer.add(block, blockSize);
        }
        block = null;
        long total = size;
        return writer.finish().thenApply(file -> MessageContent.onDisk(file, total));
    }

    /** The message is not wanted (refused, or the client went away): free memory and delete any file. */
    void discard() {
        memory = null;
        block = null;
        if (writer != null) {
            writer.discard();
        }
    }
}
