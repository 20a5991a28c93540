package dev.mailgateway.smtpd.internal;

import dev.mailgateway.files.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one message's blocks to its file, in order, on the spill executor. The network thread only queues
 * blocks; it asks {@link #isBackedUp()} to know when to stop reading, and is called back when the disk caught up.
 */
final class SpillWriter implements Runnable {

    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final SpillSettings settings;
    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final CompletableFuture<Path> done = new CompletableFuture<>();
    private volatile Runnable onDrained;
    private volatile boolean discarded;
    private Path file;
    private FileChannel channel;
    private long written;

    SpillWriter(SpillSettings settings) {
        this.settings = settings;
    }

    void add(byte[] bytes, int length) {
        pending.addAndGet(length);
        queue.add(ByteBuffer.wrap(bytes, 0, length));
        schedule();
    }

    boolean isBackedUp() {
        return pending.get() > settings.maxPending();
    }

    /** Runs {@code task} (on the writer's thread, or now) once the bytes waiting fall to half the limit. */
    void whenDrained(Runnable task) {
        onDrained = task;
        checkDrained();
    }

    /** Completes with the file once every block queued so far is written and the file closed. */
    CompletableFuture<Path> finish() {
        queue.add(END);
        schedule();
        return done;
    }

    /** The message is abandoned: whatever was written is deleted. */
    void discard() {
        discarded = true;
        finish();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            settings.writers().execute(this);
        }
    }

    @Override
    public void run() {
        do {
            for (ByteBuffer block = queue.poll(); block != null; block = queue.poll()) {
                if (block == END) {
                    close();
                    return;
                }
                write(block);
            }
            scheduled.set(false);
        } while (!queue.isEmpty() && scheduled.compareAndSet(false, true));
    }

    private void write(ByteBuffer block) {
        int length = block.remaining();
        try {
            if (!discarded && !done.isDone()) {
                if (channel == null) {
                    OwnerOnly.directory(settings.directory());
                    file = Files.createTempFile(settings.directory(), "message-", ".eml");
                    channel = FileChannel.open(file, StandardOpenOption.WRITE);
                }
                while (block.hasRemaining()) {
                    written += channel.write(block);
                }
            }
        } catch (IOException e) {
            fail(e);
        } finally {
            pending.addAndGet(-length);
            checkDrained();
        }
    }

    private void checkDrained() {
        Runnable task = onDrained;
        if (task != null && pending.get() <= settings.maxPending() / 2) {
            onDrained = null;
            task.run();
        }
    }

    private void close() {
        try {
            if (channel != null) {
                channel.close();
            }
            if (discarded) {
                deleteFile();
                done.cancel(false);
            } else {
                done.complete(file);
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        if (done.completeExceptionally(e)) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the first failure is the one reported
            }
            deleteFile();
        }
    }

    private void deleteFile() {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover temporary file is removed when the listener next starts
        }
    }

    long written() {
        return written;
    }
}
