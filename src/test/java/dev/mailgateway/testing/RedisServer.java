package dev.mailgateway.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code redis-server} on a free loopback port, without persistence, for tests. It can be stopped (killed,
 * as a crash) and started again on the same port, or paused (SIGSTOP: connected but silent). A missing binary fails
 * the test, with what to install: these tests are not optional.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final String password;
    private final Thread killOnExit = new Thread(this::kill, "redis-server-kill");
    private int port;
    private Process process;

    private RedisServer(String password) throws IOException {
        this.binary = binary();
        this.password = password;
        this.dir = Files.createTempDirectory("redis-test");
        this.port = freePort();
        Runtime.getRuntime().addShutdownHook(killOnExit); // a test that dies half way leaves no Redis behind
    }

    /** A Redis that answers PING. */
    public static RedisServer running() throws IOException {
        RedisServer server = new RedisServer(null);
        server.startFirst();
        return server;
    }

    /** A Redis that wants this password (requirepass). */
    public static RedisServer runningWithPassword(String password) throws IOException {
        RedisServer server = new RedisServer(password);
        server.startFirst();
        return server;
    }

    /** A port for a Redis that is not running yet: {@link #start()} brings it up there. */
    public static RedisServer notStarted() throws IOException {
        return new RedisServer(null);
    }

    /** {@code redis://127.0.0.1:port} (with the password, when there is one). */
    public String uri() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts it (again) on the same port, and returns when it answers. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server runs already");
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
                dir.toString(), "--logfile", log().toString()));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        await("redis-server on port " + port + " answering PING").atMost(READY).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new AssertionError("redis-server exited (" + started.exitValue() + "): " + logTail());
                    }
                    return answers();
                });
    }

    /** Kills it, as a crash: its clients see the connection drop. */
    public synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("redis-server did not die");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** It stops answering (SIGSTOP) while its connections stay open, as a hung server. */
    public void pause() {
        signal("-STOP");
    }

    public void resume() {
        signal("-CONT");
    }

    @Override
    public void close() throws IOException {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting already
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        }
    }

    private void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly(); // a paused process dies of SIGKILL too
            try {
                running.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The first start: when another process took the free port meanwhile, another one. */
    private void startFirst() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                start();
                return;
            } catch (AssertionError e) {
                if (attempt == 3 || !logTail().contains("Address already in use")) {
                    throw e;
                }
                port = freePort();
            }
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether it answers (a password-protected Redis answers PING with NOAUTH: it is up all the same). */
    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return reply != null && (reply.equals("+PONG") || reply.startsWith("-NOAUTH"));
        } catch (IOException e) {
            return false;
        }
    }

    private Path log() {
        return dir.resolve("redis.log");
    }

    private String logTail() {
        try {
            List<String> lines = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path binary() {
        Optional<Path> found = Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                        Stream.of("/usr/bin", "/usr/sbin", "/usr/local/bin"))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            throw new AssertionError("redis-server is not installed, and the Redis store's tests run the real one:"
                    + " install it (Debian: apt-get install -y redis-server; .ci/run does)");
        }
        return found.get();
    }
}
