package dev.mailgateway.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP tarpit: it takes connections and says nothing for {@code greetAfter} (then a 220, and nothing more), as
 * the slow or hostile servers spammers point forged senders at. Counts the connections it holds. Closing it closes
 * them all.
 */
public final class Tarpit implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Long> takenAt = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService greeter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tarpit-greeter");
        thread.setDaemon(true);
        return thread;
    });

    private Tarpit(Duration greetAfter) throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> accept(greetAfter), "tarpit");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static Tarpit start(Duration greetAfter) throws IOException {
        return new Tarpit(greetAfter);
    }

    private void accept(Duration greetAfter) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                held.add(socket);
                takenAt.add(System.nanoTime());
                connections.incrementAndGet();
                greeter.schedule(() -> {
                    try {
                        socket.getOutputStream().write("220 tarpit.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException ignored) {
                        // the client gave up first
                    }
                }, greetAfter.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Connections taken so far (while nobody is greeted, all of them are still held by their clients). */
    public int connections() {
        return connections.get();
    }

    /** System.nanoTime() when each connection was taken, in order. */
    public List<Long> takenAt() {
        return takenAt;
    }

    @Override
    public void close() throws IOException {
        greeter.shutdownNow();
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
