package dev.mailgateway.testing;

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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's real SpamAssassin daemon, spamd, on a free loopback port, shared by the tests of one JVM: started on
 * first use ({@link #shared()}), killed when the JVM exits. Tests may {@link #kill()} it (a crash: its clients see
 * connections refused) and {@link #start()} it again on the same port.
 *
 * <p>spamd runs in a process group of its own (setsid), under a small shell that waits on a pipe from this JVM and
 * kills the whole group when the pipe closes: on {@link #kill()}, on a normal exit, and when the JVM dies without
 * running its shutdown hooks (SIGKILL), so that no spamd child survives the tests. The rules are the ones the
 * Debian package ships in {@code /usr/share/spamassassin} (no sa-update, no network: {@code --local}); Bayes is off,
 * so nothing is learnt and every run scores alike. Its log goes to {@code target/spamd/spamd.log}.
 *
 * <p>A missing spamd fails the test, with what to install: these tests are not optional.
 */
public final class SpamdServer {

    private static final Logger LOG = LoggerFactory.getLogger(SpamdServer.class);
    /** Ready in 2-5 s here; much longer on a loaded machine (spamd compiles its rules at start). */
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration DEATH = Duration.ofSeconds(30);
    /**
     * Runs spamd ("$@") in the process group setsid made for this shell, with a watcher that kills the group when
     * its stdin (a pipe from the JVM) ends. {@code kill -KILL -$$} can only hit a group whose id is this shell's pid,
     * which exists only if setsid made it the group's leader: never the JVM's group.
     */
    private static final String WATCHED = "exec 3<&0 </dev/null; (read -r _ <&3; kill -KILL -$$) & exec \"$@\" 3<&-";

    private static SpamdServer shared;

    private final Path spamd;
    private final Path dir;
    private int port;
    private Process process;
    private Duration lastStart;

    private SpamdServer() throws IOException {
        this.spamd = binary("spamd");
        this.dir = Path.of("target", "spamd").toAbsolutePath();
        Files.createDirectories(dir);
        this.port = freePort();
    }

    /** The JVM's spamd, running (started now if it is not). */
    public static synchronized SpamdServer shared() {
        if (shared == null) {
            try {
                shared = new SpamdServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::kill, "spamd-kill"));
            shared.startFirst();
        }
        shared.start();
        return shared;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** How long the last start took, from the command to the first PONG. */
    public synchronized Duration lastStart() {
        return lastStart;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** spamd's processes: the server, its children and the watcher; none when it does not run. */
    public synchronized List<ProcessHandle> processes() {
        if (process == null) {
            return List.of();
        }
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        family.add(0, process.toHandle());
        return family;
    }

    /** The log of every spamd this JVM started. */
    public Path log() {
        return dir.resolve("spamd.log");
    }

    /**
     * Starts spamd (again, on the same port) unless it runs, and returns when it answers PING.
     *
     * @throws AssertionError when it does not come up within a minute (its log tail says why)
     */
    public synchronized void start() {
        if (running()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(binary("setsid").toString(), "/bin/sh", "-c", WATCHED,
                "spamd-watched", spamd.toString(), "--listen=127.0.0.1:" + port, "--allowed-ips=127.0.0.1"));
        if (root()) { // spamd will not scan as root; the Debian package made this user
            command.addAll(List.of("--username=debian-spamd", "--groupname=debian-spamd"));
        }
        command.addAll(List.of("--nouser-config", "--max-children=2", "--local", "--pidfile=" + dir.resolve("spamd.pid"),
                "--syslog=stderr", "--cf=use_bayes 0", "--cf=bayes_auto_learn 0"));
        long started = System.nanoTime();
        try {
            Files.deleteIfExists(dir.resolve("spamd.pid"));
            Files.writeString(log(), "--- " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process starting = process;
        long deadline = started + READY.toNanos();
        while (!answers()) {
            if (!starting.isAlive()) {
                kill();
                throw new AssertionError("spamd exited (" + starting.exitValue() + ") before it answered on port " + port
                        + "; " + log() + " ends:\n" + logTail());
            }
            if (System.nanoTime() - deadline > 0) {
                kill();
                throw new AssertionError("spamd did not answer PING on port " + port + " within " + READY.toSeconds()
                        + " s; " + log() + " ends:\n" + logTail());
            }
            try {
                Thread.sleep(50); // polling a process we cannot ask to tell us
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new AssertionError("interrupted while spamd was starting");
            }
        }
        lastStart = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("spamd on {} answers after {} ms (pid {})", address(), lastStart.toMillis(), process.pid());
    }

    /**
     * Kills spamd and its children at once (SIGKILL to its process group), as a crash, and returns when none of them
     * is left. Nothing when it does not run.
     */
    public synchronized void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        List<ProcessHandle> family = processes();
        try {
            running.getOutputStream().close(); // the watcher kills the group
        } catch (IOException e) {
            running.destroyForcibly();
        }
        if (!allDead(family, DEATH)) {
            family.forEach(ProcessHandle::destroyForcibly); // should the watcher have failed
            if (!allDead(family, DEATH)) {
                throw new IllegalStateException("spamd processes survive SIGKILL: " + family.stream()
                        .filter(SpamdServer::alive).map(ProcessHandle::pid).toList());
            }
        }
        process = null;
    }

    /** {@link #kill()}, then {@link #start()} on the same port. */
    public synchronized void restart() {
        kill();
        start();
    }

    /** The first start: when another process took the free port meanwhile, another one. */
    private void startFirst() {
        for (int attempt = 1; ; attempt++) {
            try {
                start();
                return;
            } catch (AssertionError e) {
                if (attempt == 3 || !logTail().contains("Address already in use")) {
                    throw e;
                }
                try {
                    port = freePort();
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            }
        }
    }

    /** Whether spamd answers {@code PING} with {@code PONG}. */
    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("PING SPAMC/1.5\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return reply != null && reply.startsWith("SPAMD/") && reply.endsWith(" 0 PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean allDead(List<ProcessHandle> family, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (family.stream().anyMatch(SpamdServer::alive)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a process still runs. A zombie does not: the children of a killed spamd wait there for init to reap
     * them, and {@link ProcessHandle#isAlive()} counts them alive.
     */
    public static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.exists(log()) ? Files.readAllLines(log(), StandardCharsets.ISO_8859_1) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static boolean root() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path binary(String name) {
        Optional<Path> found = Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                        Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, name))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            throw new AssertionError(name + " is not installed, and the SpamAssassin client's tests run the real spamd:"
                    + (name.equals("spamd") ? " install it (Debian: apt-get install -y spamassassin spamd; .ci/run does)"
                            : " it comes with util-linux"));
        }
        return found.get();
    }
}
