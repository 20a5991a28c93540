package dev.mailgateway.relay;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds every write to a socket: a write that has not returned within the timeout (the peer stopped reading and
 * the send buffer is full) closes the socket, which makes the write fail. Java's socket timeout covers reads only;
 * Postfix bounds writes the same way (smtp_data_xfer_timeout).
 */
final class WriteDeadline extends FilterOutputStream {

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final Socket socket;
    private final long timeoutNanos;

    WriteDeadline(OutputStream out, Socket socket, Duration timeout) {
        super(out);
        this.socket = socket;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> deadline = WATCHDOG.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            out.write(b, off, len);
        } finally {
            deadline.cancel(false);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    private void expire() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is the point; nothing else to do
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "smtp-relay-write-deadline");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true); // most writes finish at once: do not keep their cancelled timers
        return executor;
    }
}
