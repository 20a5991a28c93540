package dev.mailgateway.filter.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 */
public final class RspamdClient implements SpamEngine {

    /** The largest reply body we read; a longer one is a {@code PROTOCOL} failure (Rspamd's replies are a few KB). */
    public static final int MAX_REPLY_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(RspamdClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Orders the symbols: the heaviest first, by absolute score, then by name; symbols without a score last. */
    private static final Comparator<SpamReport.Symbol> SYMBOL_ORDER = Comparator
            .comparingDouble((SpamReport.Symbol s) -> Double.isNaN(s.score()) ? -1 : Math.abs(s.score())).reversed()
            .thenComparing(SpamReport.Symbol::name);

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
            exchange = http.sendAsync(httpRequest, info -> new LimitedBody(info));
            exchange.whenComplete(this::answered);
            if (result.isDone()) { // failed meanwhile (timeout, close): the exchange is not wanted
                exchange.cancel(true);
            }
        }

        private HttpRequest request() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(checkUri).timeout(timeout).POST(body());
            if (request.client() != null) {
                builder.header("IP", address(request.client()));
            }
            header(builder, "Helo", request.helo());
            header(builder, "Hostname", request.clientName());
            if (request.sender() != null) {
                header(builder, "From", request.sender().isEmpty() ? "<>" : request.sender());
            }
            for (String recipient : request.recipients()) {
                header(builder, "Rcpt", recipient);
            }
            header(builder, "Queue-Id", request.queueId());
            header(builder, "User", request.authUser());
            if (request.tls()) {
                builder.header("TLS-Cipher", "unknown");
            }
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
                    throw new UncheckedIOException(new UnreadableMessage(e));
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
                            + response.statusCode() + snippet(response.body()));
                }
                result.complete(report(response.body()));
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        void fail(Throwable failure) {
            result.completeExceptionally(failure(failure, started));
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

    private SpamReport report(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: the reply is not JSON" + snippet(body));
        }
        if (root == null || !root.isObject()) {
            throw new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: the reply is not a JSON object"
                    + snippet(body));
        }
        JsonNode action = root.get("action");
        JsonNode score = root.get("score");
        if (action == null || !action.isTextual() || score == null || !score.isNumber()) {
            throw new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: the reply has no action or score"
                    + snippet(body));
        }
        JsonNode required = root.get("required_score");
        JsonNode messages = root.get("messages");
        JsonNode milter = root.get("milter");
        JsonNode subject = root.get("subject");
        return new SpamReport(score.asDouble(),
                required != null && required.isNumber() ? required.asDouble() : Double.NaN,
                action(action.asText()),
                symbols(root.get("symbols")),
                messages != null && messages.path("smtp_message").isTextual()
                        ? messages.get("smtp_message").asText() : null,
                milter == null ? List.of() : addHeaders(milter.get("add_headers")),
                milter == null ? List.of() : removeHeaders(milter.get("remove_headers")),
                subject != null && subject.isTextual() ? subject.asText() : null);
    }

    private EngineAction action(String action) {
        switch (action) {
            case "no action":
                return EngineAction.PASS;
            case "add header":
                return EngineAction.TAG;
            case "rewrite subject":
                return EngineAction.REWRITE_SUBJECT;
            case "greylist":
            case "soft reject":
                return EngineAction.TEMPFAIL;
            case "reject":
                return EngineAction.REJECT;
            default:
                // a custom action, or discard/quarantine: nothing we act on; said once per action
                if (unknownActions.add(action)) {
                    LOG.warn("rspamd proposed the action '{}', which we do not know: taken as no action",
                            printable(action, 100));
                }
                return EngineAction.PASS;
        }
    }

    private static List<SpamReport.Symbol> symbols(JsonNode symbols) {
        if (symbols == null || !symbols.isObject()) {
            return List.of();
        }
        List<SpamReport.Symbol> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = symbols.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode score = entry.getValue().path("score");
            list.add(new SpamReport.Symbol(entry.getKey(), score.isNumber() ? score.asDouble() : Double.NaN));
        }
        list.sort(SYMBOL_ORDER);
        return list;
    }

    /**
     * {@code milter.add_headers} in the shapes Rspamd emits: name → value, name → {value, order}, name → an array
     * of those. In the reply's order; {@code order} (where the milter would insert the field) is not kept.
     */
    private static List<SpamReport.Field> addHeaders(JsonNode headers) {
        if (headers == null || !headers.isObject()) {
            return List.of();
        }
        List<SpamReport.Field> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (value.isArray()) {
                for (JsonNode element : value) {
                    addField(fields, entry.getKey(), element);
                }
            } else {
                addField(fields, entry.getKey(), value);
            }
        }
        return fields;
    }

    private static void addField(List<SpamReport.Field> fields, String name, JsonNode value) {
        JsonNode text = value.isObject() ? value.get("value") : value;
        if (text != null && text.isTextual()) {
            fields.add(new SpamReport.Field(name, unfold(text.asText())));
        }
    }

    /** {@code milter.remove_headers}: name → which occurrence (0 all, n the n-th, negative from the end). */
    private static List<String> removeHeaders(JsonNode headers) {
        if (headers == null || !headers.isObject()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        headers.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A header value on one line: a line break before white space goes (RFC 5322 unfolding), any other one is a space. */
    static String unfold(String value) {
        return value.replaceAll("\r?\n(?=[ \t])", "").replaceAll("[\r\n]", " ");
    }

    /** What a failure is to the caller: an EngineFailure as it is, anything else mapped to its kind. */
    private EngineFailure failure(Throwable failure, long started) {
        Throwable cause = unwrap(failure);
        if (cause instanceof EngineFailure engineFailure) {
            return engineFailure;
        }
        String after = " (after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms)";
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) { // the JDK's timers
            return new EngineFailure(EngineFailure.Kind.TIMEOUT, "rspamd: no complete answer within "
                    + timeout.toMillis() + " ms: " + describe(cause), cause);
        }
        if (cause instanceof ReplyTooLarge) {
            return new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: " + cause.getMessage(), cause);
        }
        if (cause instanceof ProtocolException) { // a status line or headers that are not HTTP
            return new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: not an HTTP reply: " + describe(cause),
                    cause);
        }
        UnreadableMessage unreadable = find(cause, UnreadableMessage.class);
        if (unreadable != null) {
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE,
                    "rspamd: cannot read the message: " + describe(unreadable.getCause()), unreadable);
        }
        if (cause instanceof ConnectException) {
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: cannot connect: " + describe(cause)
                    + after, cause);
        }
        if (cause instanceof UnknownHostException) {
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: unknown host: " + describe(cause),
                    cause);
        }
        if (cause instanceof IOException) { // reset, closed before or in the reply
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: connection failed: " + describe(cause)
                    + after, cause);
        }
        if (cause instanceof CancellationException) {
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: the scan was cancelled", cause);
        }
        if (cause instanceof IllegalArgumentException) { // the JDK refused the request (a header it takes as bad)
            return new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: cannot make the request: "
                    + describe(cause), cause);
        }
        return new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: unexpected failure: " + describe(cause),
                cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + printable(message, 200));
    }

    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        return ": " + printable(new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8), 200);
    }

    /** For a log line or a failure's message: no control characters, bounded. */
    private static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString().strip();
    }

    /**
     * Adds a request header when there is a value, as one line of ASCII: control characters (CR and LF among them)
     * become spaces; a domain name ({@code Helo}, {@code Hostname}, the domain of an address) goes as its A-label;
     * any other character outside ASCII (in a UTF-8 local part, a user name) as {@code ?}. The JDK writes header
     * bytes as US-ASCII (what is not becomes {@code ?}, or is refused), so UTF-8 cannot reach Rspamd this way.
     */
    private static void header(HttpRequest.Builder builder, String name, String value) {
        if (value == null) {
            return;
        }
        String clean = ascii(switch (name) {
            case "Helo", "Hostname" -> domain(value);
            case "From", "Rcpt" -> mailbox(value);
            default -> value;
        });
        if (!clean.isEmpty()) {
            builder.header(name, clean);
        }
    }

    private static String ascii(String value) {
        StringBuilder clean = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            clean.append(c < 0x20 || c == 0x7f ? ' ' : c < 0x80 ? c : '?');
        }
        return clean.toString().strip();
    }

    private static String mailbox(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at + 1) + domain(address.substring(at + 1));
    }

    private static String domain(String name) {
        if (name.chars().allMatch(c -> c < 0x80)) {
            return name;
        }
        try {
            return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) { // not a domain name: its characters outside ASCII become '?'
            return name;
        }
    }

    /** The address as Rspamd parses it: no IPv6 scope. */
    private static String address(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress()).getHostAddress();
        } catch (UnknownHostException e) { // only for a length that is no address
            throw new IllegalArgumentException("not an IP address: " + address, e);
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

    /** The message source failed to open. */
    private static final class UnreadableMessage extends IOException {
        UnreadableMessage(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final class ReplyTooLarge extends IOException {
        ReplyTooLarge(String message) {
            super(message);
        }
    }

    /** Collects the reply body up to {@link #MAX_REPLY_BYTES}; a longer one fails (and the exchange is cancelled). */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long declared;
        private Flow.Subscription subscription;

        LimitedBody(HttpResponse.ResponseInfo info) {
            this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declared > MAX_REPLY_BYTES) {
                tooLarge(declared);
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (bytes.size() + (long) item.remaining() > MAX_REPLY_BYTES) {
                    tooLarge(bytes.size() + (long) item.remaining());
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }

        private void tooLarge(long size) {
            body.completeExceptionally(new ReplyTooLarge("the reply is over " + MAX_REPLY_BYTES + " bytes ("
                    + (declared >= 0 ? "Content-Length " + declared : "at least " + size) + ")"));
            subscription.cancel();
        }
    }

    @Override
    public String toString() {
        return "RspamdClient[" + checkUri + ", timeout " + timeout.toMillis() + " ms]";
    }
}
