package dev.mailgateway.relay;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds every write to a socket: a write that has not returned within the timeout (the peer stopped reading and
 * the send buffer is full) closes the socket, which makes the write fail. Java's socket timeout covers reads only;
 * Postfix bounds writes the same way (smtp_data_xfer_timeout).
 *
 * <p>A write only notes when it started and clears that when it returns: two volatile stores. One watchdog thread
 * for all connections looks at the writes in progress four times a second (a write stalls for minutes before it
 * matters, so a quarter second late is on time), and sleeps while no connection is open. A timer per write, as
 * this was before, cost a scheduled task and a wake-up of the timer thread for every write of every message.
 */
final class WriteDeadline extends FilterOutputStream {

    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long IDLE = Long.MIN_VALUE;
    private static final Set<WriteDeadline> OPEN = ConcurrentHashMap.newKeySet();
    private static final Thread WATCHDOG = watchdog();

    private final Socket socket;
    private final long timeoutNanos;
    /** System.nanoTime() when the write in progress started; {@link #IDLE} while none is. */
    private volatile long writingSince = IDLE;

    WriteDeadline(OutputStream out, Socket socket, Duration timeout) {
        super(out);
        this.socket = socket;
        this.timeoutNanos = timeout.toNanos();
        OPEN.add(this);
        LockSupport.unpark(WATCHDOG); // once per connection: it may be asleep because none was open
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        writingSince = System.nanoTime();
        try {
            out.write(b, off, len);
        } finally {
            writingSince = IDLE;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Closes the socket of a write that has taken too long; true when there is nothing more to watch. */
    private boolean overdue(long now) {
        if (socket.isClosed()) {
            return true; // the connection is over: forgotten here (OutboundConnection closes the socket, not streams)
        }
        long since = writingSince;
        if (since != IDLE && now - since > timeoutNanos) {
            try {
                socket.close(); // the stuck write fails with an IOException in its own thread
            } catch (IOException ignored) {
                // closing is the point; nothing else to do
            }
            return true;
        }
        return false;
    }

    private static Thread watchdog() {
        Thread thread = new Thread(() -> {
            while (true) {
                if (OPEN.isEmpty()) {
                    LockSupport.park(); // a new connection unparks it; a spurious wake-up only costs a look
                } else {
                    LockSupport.parkNanos(SWEEP_NANOS);
                    long now = System.nanoTime();
                    OPEN.removeIf(deadline -> deadline.overdue(now));
                }
            }
        }, "smtp-relay-write-deadline");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
