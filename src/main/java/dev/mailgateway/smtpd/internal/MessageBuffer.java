package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The bytes of one message as they arrive: a growable array, sized from SIZE= when the client declared it. */
final class MessageBuffer {

    private static final int MAX_INITIAL = 1 << 20;

    private byte[] bytes;
    private int size;

    MessageBuffer(long expectedSize) {
        bytes = new byte[(int) Math.max(4096, Math.min(expectedSize, MAX_INITIAL))];
    }

    void write(ByteBuf src, int index, int length) {
        ensure(length);
        src.getBytes(index, bytes, size, length);
        size += length;
    }

    void write(byte[] src) {
        ensure(src.length);
        System.arraycopy(src, 0, bytes, size, src.length);
        size += src.length;
    }

    void write(String ascii) {
        write(ascii.getBytes(StandardCharsets.UTF_8));
    }

    void writeCrlf() {
        ensure(2);
        bytes[size++] = '\r';
        bytes[size++] = '\n';
    }

    void writeByte(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    int size() {
        return size;
    }

    /** The message, exactly sized. */
    byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }
}
