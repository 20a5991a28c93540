package dev.mailgateway.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's real {@code rspamd} for tests: one per test JVM, started on first use ({@link #shared()}) on a free
 * loopback port, stopped by a shutdown hook. It runs with Debian's configuration ({@code /etc/rspamd}, read only)
 * and a private local configuration in a temporary directory (the {@code LOCAL_CONFDIR}), which binds the normal
 * worker to {@code 127.0.0.1:PORT}, disables the controller, proxy and fuzzy workers (nothing else listens, so
 * nothing collides with a system Rspamd or another run), disables the fuzzy check (it would query
 * {@code fuzzy*.rspamd.com}), turns on the milter headers module's extended headers (so that replies carry
 * {@code milter.add_headers} as Rspamd really emits them), points Rspamd's resolver at a {@link DnsServer} of this
 * JVM (NXDOMAIN for what no test added: no scan waits on an unreachable resolver, and remote maps fail at once), and
 * keeps the Hyperscan cache in {@code target/rspamd-hs-cache} (a first start compiles it, ~12 s here; later runs
 * reuse it and start in 1-2 s). Its output goes to {@code target/rspamd.log}. As root it runs as {@code _rspamd}
 * ({@code -u/-g}), its directories owned by that user. An rspamd left by a test JVM that died without its shutdown
 * hooks is stopped by the next one, its temporary directory deleted ({@code target/rspamd-test.JVMPID.pid}).
 *
 * <p>A missing rspamd fails the test with what to install: these tests are not optional.
 */
public final class RspamdServer {

    /** Debian's configuration, used as it is. */
    private static final Path CONFDIR = Path.of("/etc/rspamd");
    private static final String USER = "_rspamd";
    /** A first start compiles the TLD matcher and Hyperscan cache (~12 s here); a loaded machine takes longer. */
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target").toAbsolutePath();

    private static RspamdServer shared;

    private final Path binary;
    private final boolean root;
    private final Path dir;
    private final Path localConf;
    private final Path hsCache = TARGET.resolve("rspamd-hs-cache");
    private final Path log = TARGET.resolve("rspamd.log");
    /** This JVM's rspamd main process, for a later JVM to stop if this one dies without its shutdown hooks. */
    private final Path pidFile = TARGET.resolve("rspamd-test." + ProcessHandle.current().pid() + ".pid");
    private final DnsServer dns;
    private final HttpClient ping = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).proxy(HttpClient.Builder.NO_PROXY).build();
    private int port;
    private Process process;
    private Duration lastStart;

    private RspamdServer() throws IOException {
        binary = binary();
        if (!Files.isRegularFile(CONFDIR.resolve("rspamd.conf"))) {
            throw new AssertionError(CONFDIR + "/rspamd.conf is missing: install rspamd (Debian: apt-get install -y"
                    + " rspamd)");
        }
        root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        Files.createDirectories(TARGET);
        reapStale();
        dns = DnsServer.start();
        dir = Files.createTempDirectory("rspamd-test");
        localConf = dir.resolve("local");
        for (String sub : List.of("local/local.d", "local/override.d", "db", "run", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.createDirectories(hsCache);
        port = freePort();
        writeConfiguration();
        if (root) { // the workers run as _rspamd: they write the databases, the pid file, the Hyperscan cache
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.toList()) {
                    own(path);
                }
            }
            own(hsCache);
            try (Stream<Path> files = Files.list(hsCache)) {
                for (Path path : files.toList()) {
                    own(path);
                }
            }
        }
        Files.deleteIfExists(log);
    }

    /** The running instance, started (or started again, after a test left it killed) on first use. */
    public static synchronized RspamdServer shared() {
        try {
            if (shared == null) {
                RspamdServer server = new RspamdServer();
                Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "rspamd-stop"));
                server.startFirst();
                shared = server;
            } else if (!shared.running()) {
                shared.restart();
            }
            return shared;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The normal worker: {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri() {
        return URI.create(url());
    }

    public int port() {
        return port;
    }

    /** The DNS server Rspamd asks: tests add the records a scan should find (names of their own). */
    public DnsServer dns() {
        return dns;
    }

    /** Where Rspamd writes its log (one line per scan, with the envelope it was given). */
    public Path log() {
        return log;
    }

    /** How long the last (re)start took until the worker answered. */
    public synchronized Duration lastStart() {
        return lastStart;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /**
     * Stops it as an operator would (SIGTERM to the main process, which stops its workers) and returns when the
     * main process and every worker are gone: its port refuses connections.
     */
    public synchronized void kill() {
        stop();
    }

    /** Starts it again on the same port (stopping it first if it runs) and returns when it answers. */
    public synchronized void restart() {
        stop();
        start();
    }

    private synchronized void startFirst() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                start();
                return;
            } catch (AssertionError e) {
                if (attempt == 3 || !(logText().contains("Address already in use")
                        || logText().contains("cannot bind"))) {
                    throw e;
                }
                port = freePort(); // another process took the port meanwhile
                writeConfiguration();
            }
        }
    }

    private synchronized void start() {
        if (running()) {
            throw new IllegalStateException("rspamd runs already");
        }
        List<String> command = command();
        long started = System.nanoTime();
        try {
            Files.writeString(log, "---- " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Files.writeString(pidFile, process.pid() + "\n" + dir + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process running = process;
        try {
            await("rspamd answering /ping on " + url()).atMost(READY).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        if (!running.isAlive()) {
                            throw new AssertionError("rspamd exited (" + running.exitValue() + "), see " + log
                                    + ":\n" + logTail());
                        }
                        return answers();
                    });
        } catch (RuntimeException | AssertionError e) {
            stop();
            throw e instanceof AssertionError a ? a : new AssertionError("rspamd did not start: " + e
                    + "\n" + logTail(), e);
        }
        lastStart = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("rspamd answers on " + url() + " after " + lastStart.toMillis() + " ms (log: " + log + ")");
    }

    /** SIGTERM to the main process; waits for it and its workers; what still lives after that is killed. */
    private synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        List<ProcessHandle> workers = running.descendants().toList(); // before they lose their parent
        running.destroy();
        try {
            if (!running.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                running.destroyForcibly();
                running.waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
            }
            for (ProcessHandle worker : workers) {
                if (!worker.onExit().completeOnTimeout(worker, STOP.toSeconds(), TimeUnit.SECONDS).join()
                        .isAlive()) {
                    continue;
                }
                worker.destroyForcibly();
                worker.onExit().completeOnTimeout(worker, STOP.toSeconds(), TimeUnit.SECONDS).join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!running.isAlive()) {
            process = null;
        }
    }

    /** At the JVM's exit: stopped, its temporary directory gone (the log and the Hyperscan cache stay in target). */
    private void shutdown() {
        stop();
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // a later JVM finds its rspamd gone
        }
        delete(dir);
    }

    private static void delete(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tree)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** {@code rspamd -f [-u _rspamd -g _rspamd] -c /etc/rspamd/rspamd.conf --var=...}: in the foreground. */
    private List<String> command() {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-f"));
        if (root) {
            command.addAll(List.of("-u", USER, "-g", USER));
        }
        command.addAll(List.of("-c", CONFDIR.resolve("rspamd.conf").toString(),
                "--var=CONFDIR=" + CONFDIR,
                "--var=LOCAL_CONFDIR=" + localConf,
                "--var=DBDIR=" + dir.resolve("db"),
                "--var=RUNDIR=" + dir.resolve("run"),
                "--var=LOGDIR=" + dir.resolve("log")));
        return command;
    }

    /**
     * The private local configuration. Scalars that Debian's files set are replaced through {@code override.d}
     * (a {@code local.d} file merges: a second {@code bind_socket} would bind both addresses).
     */
    private void writeConfiguration() throws IOException {
        write("override.d/worker-normal.inc", "bind_socket = \"127.0.0.1:" + port + "\";\ncount = 1;\n");
        write("override.d/worker-controller.inc", "enabled = false;\n");
        write("override.d/worker-proxy.inc", "enabled = false;\n");
        write("override.d/worker-fuzzy.inc", "enabled = false;\n");
        write("override.d/options.inc", "dns {\n  nameserver = [\"" + dns.address() + "\"];\n  timeout = 1s;\n"
                + "  retransmits = 2;\n}\nhs_cache_dir = \"" + hsCache + "\";\n");
        write("override.d/logging.inc", "type = \"console\";\nlevel = \"info\";\ncolor = false;\n");
        write("local.d/fuzzy_check.conf", "enabled = false;\n");
        // X-Spamd-Result, X-Rspamd-Server, X-Rspamd-Queue-Id in milter.add_headers: real headers for the client
        write("local.d/milter_headers.conf", "extended_spam_headers = true;\n");
    }

    private void write(String name, String content) throws IOException {
        Path file = localConf.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        if (root) {
            own(file);
        }
    }

    private boolean answers() {
        try {
            HttpResponse<String> response = ping.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().strip().equals("pong");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops what a test JVM that died without its shutdown hooks (SIGKILL) left running: the rspamd of a pid file
     * whose JVM is gone. Another JVM's running rspamd (a parallel build in this directory) is left alone.
     */
    private void reapStale() throws IOException {
        List<Path> pidFiles;
        try (Stream<Path> files = Files.list(TARGET)) {
            pidFiles = files.filter(f -> f.getFileName().toString().matches("rspamd-test\\.\\d+\\.pid")).toList();
        }
        for (Path file : pidFiles) {
            long owner = Long.parseLong(file.getFileName().toString().split("\\.")[1]);
            if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            try {
                ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                        .filter(p -> p.info().command().map(c -> c.endsWith("/rspamd")).orElse(false))
                        .ifPresent(stale -> {
                            List<ProcessHandle> workers = stale.descendants().toList();
                            stale.destroy();
                            stale.onExit().completeOnTimeout(stale, STOP.toSeconds(), TimeUnit.SECONDS).join();
                            Stream.concat(Stream.of(stale), workers.stream()).filter(ProcessHandle::isAlive)
                                    .forEach(ProcessHandle::destroyForcibly);
                        });
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // not ours to read
            }
            if (lines.size() > 1 && Path.of(lines.get(1)).getFileName().toString().startsWith("rspamd-test")) {
                delete(Path.of(lines.get(1)));
            }
            Files.deleteIfExists(file);
        }
    }

    private String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String logTail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void own(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(USER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(USER);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
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
                .map(directory -> Path.of(directory, "rspamd"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            throw new AssertionError("rspamd is not installed, and the Rspamd client's tests run the real one:"
                    + " install it (Debian: apt-get install -y rspamd; .ci/run does)");
        }
        return found.get();
    }
}
