package dev.mailgateway.filter.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Rspamd's normal worker ({@code POST /checkv2}) about a message, over the JDK's HTTP client (HTTP/1.1, one
 * client per instance, on the given executor). The message is streamed from its {@link MessageSource} with a
 * Content-Length: a message spilled to disk is never read into memory. The envelope goes in Rspamd's request
 * headers: {@code IP}, {@code Helo}, {@code Hostname} (left out when the name is unknown, as Rspamd's own milter
 * does: Rspamd then counts the host name as unknown), {@code From} ({@code <>} for the null sender: Rspamd takes it
 * as an empty envelope sender, where no {@code From} would make it fall back to the message's From field), one
 * {@code Rcpt} per recipient, {@code Queue-Id}, {@code User} when authenticated and {@code TLS-Cipher} when the
 * session was encrypted (Rspamd 3.4 reads only that header's presence, to flag the task as received over TLS; we
 * do not know the cipher here, so the value is {@code unknown}). Header values are one line of ASCII: the
 * JDK writes header bytes as US-ASCII, so a domain goes as its A-label and any other character outside ASCII as
 * {@code ?}. The request is HTTP/1.1 without an upgrade: the JDK's default, HTTP/2, would offer
 * {@code Upgrade: h2c}, and Rspamd then scans an empty message and answers "no action".
 *
 * <p>The stage completes exactly once, within the timeout counted from {@link #scan}, whatever the server does
 * (it may accept and never answer, or send its headers and stall in the body: the JDK's request timeout covers only
 * the wait for the response headers, so a deadline of our own cancels the exchange): with a {@link SpamReport}, or
 * exceptionally with an {@link EngineFailure} itself (not wrapped): {@code TIMEOUT} when the deadline passes;
 * {@code UNAVAILABLE} when nothing listens, or the connection breaks before the reply is complete (a reply cut off
 * in its body included), or the message cannot be read; {@code PROTOCOL} for an HTTP status other than 200, a reply
 * that is not HTTP, a body that is not JSON or lacks {@code action} or {@code score}, or a body over
 * {@link #MAX_REPLY_BYTES}. Thread-safe.
 *
 * <p>Its parts: {@code RspamdRequestHeaders} (the envelope), {@code RspamdReplyBody} (the bounded body),
 * {@code RspamdReply} (the JSON), {@code RspamdFailures} (what went wrong, as an {@link EngineFailure}).
 */
public final class RspamdClient implements SpamEngine {

    /** The largest reply body we read; a longer one is a {@code PROTOCOL} failure (Rspamd's replies are a few KB). */
    public static final int MAX_REPLY_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(RspamdClient.class);

    private final URI checkUri;
    private final Duration timeout;
    private final HttpClient http;
    private final Set<Scan> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> unknownActions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param baseUrl  the normal worker, {@code http://127.0.0.1:11333} (a path prefix is kept, a trailing slash
     *                 or none; {@code /checkv2} is added)
     * @param timeout  how long a scan may take, connecting included
     * @param executor where the HTTP client runs its tasks (the stage may complete there)
     * @throws IllegalArgumentException for a URL that is not http or https with a host, or that has a query, a
     *                                  fragment or user information; for a timeout that is not positive
     */
    public RspamdClient(URI baseUrl, Duration timeout, Executor executor) {
        this.checkUri = checkUri(Objects.requireNonNull(baseUrl, "baseUrl"));
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(executor, "executor");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Rspamd timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY) // never a system proxy between us and a loopback scanner
                .build();
    }

    /** Where scans go: the base URL with {@code /checkv2}. */
    public URI checkUri() {
        return checkUri;
    }

    @Override
    public String name() {
        return "rspamd";
    }

    @Override
    public CompletionStage<SpamReport> scan(ScanRequest request) {
        Objects.requireNonNull(request, "request");
        Scan scan = new Scan(request);
        if (closed) {
            scan.fail(new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: the client is closed"));
            return scan.result;
        }
        inFlight.add(scan);
        scan.result.whenComplete((report, failure) -> scan.finish());
        try {
            scan.start();
        } catch (RuntimeException e) { // never thrown at the caller: a failed stage instead
            scan.fail(e);
        }
        if (closed) { // close() ran while this one was being added
            scan.fail(new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: the client is closed"));
        }
        return scan.result;
    }

    /** Scans still under way fail ({@code UNAVAILABLE}); later scans fail at once. The executor is the caller's. */
    @Override
    public void close() {
        closed = true;
        for (Scan scan : List.copyOf(inFlight)) {
            scan.fail(new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: the client was closed"));
        }
    }

    /** One scan: its result, the exchange under way, the message streams it opened. */
    private final class Scan {

        private final ScanRequest request;
        private final long started = System.nanoTime();
        private final CompletableFuture<SpamReport> result = new CompletableFuture<>();
        private final CompletableFuture<Void> deadline = new CompletableFuture<>();
        private final List<InputStream> opened = new ArrayList<>();
        private volatile CompletableFuture<HttpResponse<byte[]>> exchange;

        Scan(ScanRequest request) {
            this.request = request;
        }

        void start() {
            // the deadline is a timer of its own (CompletableFuture's delayer thread): whatever the exchange does
            deadline.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ignored, expired) -> {
                if (expired != null) {
                    fail(new EngineFailure(EngineFailure.Kind.TIMEOUT,
                            "rspamd: no complete answer within " + timeout.toMillis() + " ms"));
                }
            });
            HttpRequest httpRequest = request();
            exchange = http.sendAsync(httpRequest, info -> new RspamdReplyBody(info));
            exchange.whenComplete(this::answered);
            if (result.isDone()) { // failed meanwhile (timeout, close): the exchange is not wanted
                exchange.cancel(true);
            }
        }

        private HttpRequest request() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(checkUri).timeout(timeout).POST(body());
            RspamdRequestHeaders.addEnvelope(builder, request);
            return builder.build();
        }

        private HttpRequest.BodyPublisher body() {
            if (request.size() <= 0) {
                return HttpRequest.BodyPublishers.noBody();
            }
            // fromPublisher with the length: a Content-Length, not chunks; the stream is read as it is sent
            return HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(this::open), request.size());
        }

        /** Opens the message for the exchange (called when the body is sent); closed when the scan completes. */
        private InputStream open() {
            synchronized (opened) {
                if (result.isDone()) {
                    throw new UncheckedIOException(new IOException("the scan is over"));
                }
                try {
                    InputStream stream = request.message().open();
                    opened.add(stream);
                    return stream;
                } catch (IOException e) {
                    throw new UncheckedIOException(new RspamdFailures.UnreadableMessage(e));
                }
            }
        }

        private void answered(HttpResponse<byte[]> response, Throwable failure) {
            if (failure != null) {
                fail(failure);
                return;
            }
            try {
                if (response.statusCode() != 200) {
                    throw new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd answered HTTP "
                            + response.statusCode() + RspamdFailures.snippet(response.body()));
                }
                result.complete(RspamdReply.parse(response.body(), RspamdClient.this::unknownAction));
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        void fail(Throwable failure) {
            result.completeExceptionally(RspamdFailures.of(failure, started, timeout));
        }

        /** When the result is in: the timer stops, the exchange (if still under way) is cancelled, streams close. */
        void finish() {
            inFlight.remove(this);
            deadline.complete(null);
            CompletableFuture<HttpResponse<byte[]>> running = exchange;
            if (running != null && !running.isDone()) {
                running.cancel(true); // aborts the exchange and closes its connection
            }
            List<InputStream> streams;
            synchronized (opened) {
                streams = List.copyOf(opened);
                opened.clear();
            }
            for (InputStream stream : streams) {
                try {
                    stream.close();
                } catch (IOException e) {
                    LOG.debug("closing a message stream: {}", e.toString());
                }
            }
        }
    }

    /** An action Rspamd proposed that we do not know (taken as no action): said once per action. */
    private void unknownAction(String action) {
        if (unknownActions.add(action)) {
            LOG.warn("rspamd proposed the action '{}', which we do not know: taken as no action",
                    RspamdFailures.printable(action, 100));
        }
    }

    private static URI checkUri(URI base) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the Rspamd URL must be http or https: " + base);
        }
        if (base.getHost() == null || base.getHost().isEmpty()) {
            throw new IllegalArgumentException("the Rspamd URL has no host: " + base);
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null || base.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the Rspamd URL must be a base URL (no query, fragment or user): "
                    + base);
        }
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + base.getRawAuthority() + path + "/checkv2");
    }

    @Override
    public String toString() {
        return "RspamdClient[" + checkUri + ", timeout " + timeout.toMillis() + " ms]";
    }
}
