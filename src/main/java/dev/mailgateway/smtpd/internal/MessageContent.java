package dev.mailgateway.smtpd.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of a received message: in memory when small, in a file when large. Whoever ends up holding it calls
 * {@link #release()} when done, which removes the file.
 */
public final class MessageContent {

    private static final Logger LOG = LoggerFactory.getLogger(MessageContent.class);

    private final byte[] bytes;
    private final Path file;
    private final long size;

    private MessageContent(byte[] bytes, Path file, long size) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    static MessageContent inMemory(byte[] bytes) {
        return new MessageContent(bytes, null, bytes.length);
    }

    static MessageContent onDisk(Path file, long size) {
        return new MessageContent(null, file, size);
    }

    public boolean isInMemory() {
        return bytes != null;
    }

    /** The bytes, for a message in memory; null for one on disk. */
    public byte[] bytes() {
        return bytes;
    }

    /** The file, for a message on disk; null for one in memory. */
    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    /** All the bytes in one array: for tests and small messages only. */
    public byte[] toByteArray() {
        try {
            return bytes != null ? bytes : Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes the file. Never throws for a file that cannot be removed: whoever releases has other things to give
     * back after this (the budget of bytes in flight), and a leftover only costs disk until the listener restarts.
     */
    public void release() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not remove {}: {}; it is removed when the listener next starts", file, e.toString());
            }
        }
    }
}
