package dev.mailgateway.relay;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Bounds the time a whole reply may take: a socket's read timeout alone restarts with every byte, so a server that
 * trickles a byte a minute would hold a delivery thread for ever. Before each read from the socket the timeout is
 * set to what is left of the reply's time.
 */
final class ReplyDeadline extends FilterInputStream {

    private final Socket socket;
    private long deadline;

    ReplyDeadline(InputStream in, Socket socket) {
        super(in);
        this.socket = socket;
    }

    /** The next reply must be complete within {@code limit} from now. */
    void start(Duration limit) {
        deadline = System.nanoTime() + limit.toNanos();
    }

    @Override
    public int read() throws IOException {
        arm();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return super.read(b, off, len);
    }

    private void arm() throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("reply not complete in time");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
    }
}
