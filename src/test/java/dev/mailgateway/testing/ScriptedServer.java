package dev.mailgateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that misbehaves on purpose, for the relay's tests: a script answers each command (and the end of
 * each message); what no real server we test against would do, this one does. Each connection runs on its own
 * thread; closing the server closes them all.
 */
public final class ScriptedServer implements AutoCloseable {

    /**
     * The reply to one command; {@code "."} stands for the end of a message. Null: answer nothing and read no more
     * (a stalled peer); a reply that starts with {@code !}: send it (without the {@code !}), then stall.
     */
    public interface Script {
        String answer(String command, int connection);
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ScriptedServer(Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        Thread acceptor = new Thread(this::accept, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(script);
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** Every command received, in order, across connections. */
    public List<String> commands() {
        return commands;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                int number = connections.incrementAndGet();
                Thread session = new Thread(() -> serve(socket, number), "scripted-smtp-" + number);
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 scripted.test ESMTP");
            boolean inData = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (inData && !line.equals(".")) {
                    continue;
                }
                String command = inData ? "." : line;
                inData = false;
                commands.add(command);
                String answer = script.answer(command, connection);
                if (answer != null && answer.startsWith("!")) {
                    reply(out, answer.substring(1));
                    answer = null;
                }
                if (answer == null) {
                    closed.await(); // neither read nor answer any more, until the test is over: a stalled peer
                    return;
                }
                reply(out, answer);
                if (answer.startsWith("354")) {
                    inData = true;
                }
                if (command.equalsIgnoreCase("QUIT")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away: this session is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
