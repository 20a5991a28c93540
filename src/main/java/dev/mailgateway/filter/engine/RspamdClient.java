package dev.mailgateway.filter.engine;

import dev.mailgateway.filter.engine.EngineFailure.Kind;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Rspamd's normal worker ({@code POST /checkv2}) about a message, over HTTP/1.1 on Netty event loops shared
 * with the caller: one connection per scan (Rspamd closes it after each reply), no thread waiting on it. The JDK's
 * HTTP client did the same job at about ten times the CPU per scan (a selector thread, a dozen future stages and
 * thread hand-offs per exchange), which made the gateway, not Rspamd, the bottleneck of a filtering gateway.
 *
 * <p>The message is streamed from its {@link MessageSource} with a Content-Length, 64 KB at a time as the connection
 * takes it: a message spilled to disk is never read into memory. The envelope goes in Rspamd's request headers:
 * {@code IP}, {@code Helo}, {@code Hostname} (left out when the name is unknown, as Rspamd's own milter does: Rspamd
 * then counts the host name as unknown), {@code From} ({@code <>} for the null sender: Rspamd takes it as an empty
 * envelope sender, where no {@code From} would make it fall back to the message's From field), one {@code Rcpt} per
 * recipient, {@code Queue-Id}, {@code User} when authenticated and {@code TLS-Cipher} when the session was
 * encrypted (Rspamd 3.4 reads only that header's presence, to flag the task as received over TLS; we do not know
 * the cipher here, so the value is {@code unknown}). Header values are one line of ASCII: a domain goes as its
 * A-label and any other character outside ASCII as {@code ?}. No {@code Upgrade: h2c} is ever offered: Rspamd
 * then scans an empty message and answers "no action" (what the JDK client did by default).
 *
 * <p>Plain HTTP only: Rspamd's workers speak plain HTTP and are run on loopback or a private network (a remote one
 * behind a TLS tunnel or proxy of the operator's). A host name in the URL (a container's name, say) is looked up
 * for each scan on the caller's thread, through the JDK's resolver and its cache, never on an I/O thread; one that
 * does not resolve is {@code UNAVAILABLE}.
 *
 * <p>The stage completes exactly once, within the timeout counted from {@link #scan}, whatever the server does (it
 * may accept and never answer, or send its headers and stall in the body), with a {@link SpamReport}, or
 * exceptionally with an {@link EngineFailure} itself (not wrapped): {@code TIMEOUT} when the deadline passes (the
 * connection is closed); {@code UNAVAILABLE} when nothing listens, or the connection breaks before the reply is
 * complete (a reply cut off in its body included), or the message cannot be read; {@code PROTOCOL} for an HTTP
 * status other than 200, a reply that is not HTTP, a body that is not JSON or lacks {@code action} or
 * {@code score}, or a body over {@link #MAX_REPLY_BYTES}. The stage completes on an I/O thread: continue elsewhere
 * ({@code whenCompleteAsync}) with anything slow. Thread-safe.
 *
 * <p>Its parts: {@code RspamdExchange} (one scan's connection), {@code RspamdRequestHeaders} (the envelope),
 * {@code RspamdReply} (the JSON), {@code RspamdFailures} (messages of failures).
 */
public final class RspamdClient implements SpamEngine {

    /** The largest reply body we read; a longer one is a {@code PROTOCOL} failure (Rspamd's replies are a few KB). */
    public static final int MAX_REPLY_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(RspamdClient.class);

    private final URI checkUri;
    private final String host;
    private final int port;
    /** For an IP address in the URL; null for a host name, looked up for each scan. */
    private final InetSocketAddress literal;
    private final String hostHeader;
    private final String path;
    private final long timeoutNanos;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final Set<RspamdExchange> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> unknownActions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param baseUrl the normal worker, {@code http://127.0.0.1:11333} (a path prefix is kept, a trailing slash or
     *                none; {@code /checkv2} is added)
     * @param timeout how long a scan may take, connecting included
     * @param group   Netty event loops running epoll or NIO, shared: {@link #close()} leaves them running
     * @throws IllegalArgumentException for a URL that is not http with a host, or that has a query, a fragment or
     *                                  user information; for a timeout that is not positive; for a group that runs
     *                                  neither epoll nor NIO
     */
    public RspamdClient(URI baseUrl, Duration timeout, EventLoopGroup group) {
        this.checkUri = checkUri(Objects.requireNonNull(baseUrl, "baseUrl"));
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Rspamd timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.group = Objects.requireNonNull(group, "group");
        this.channelType = SpamdClient.channelTypeOf(group);
        String name = checkUri.getHost();
        this.host = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        this.port = checkUri.getPort() < 0 ? 80 : checkUri.getPort();
        try {
            this.literal = isIpLiteral(host) ? resolve() : null;
        } catch (UnknownHostException e) { // not an address after all
            throw new IllegalArgumentException("the Rspamd URL's host is not an address: " + name, e);
        }
        this.hostHeader = checkUri.getRawAuthority();
        this.path = checkUri.getRawPath();
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
        CompletableFuture<SpamReport> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new EngineFailure(Kind.UNAVAILABLE, "rspamd: the client is closed"));
            return result;
        }
        InetSocketAddress address;
        EventLoop loop;
        try {
            address = literal != null ? literal : resolve();
        } catch (UnknownHostException e) {
            result.completeExceptionally(new EngineFailure(Kind.UNAVAILABLE, "rspamd: unknown host " + host, e));
            return result;
        }
        try {
            loop = group.next();
        } catch (RuntimeException e) {
            result.completeExceptionally(new EngineFailure(Kind.UNAVAILABLE, "rspamd: no event loop: " + e, e));
            return result;
        }
        RspamdExchange exchange = new RspamdExchange(this, request, address, result, loop);
        inFlight.add(exchange);
        try {
            loop.execute(exchange::start);
        } catch (RejectedExecutionException e) {
            inFlight.remove(exchange);
            result.completeExceptionally(new EngineFailure(Kind.UNAVAILABLE, "rspamd: event loop shut down", e));
            return result;
        }
        if (closed) { // close() ran while this one was being added
            exchange.abort();
        }
        return result;
    }

    /** Scans still under way fail ({@code UNAVAILABLE}); later scans fail at once. The event loops are the caller's. */
    @Override
    public void close() {
        closed = true;
        for (RspamdExchange exchange : inFlight) {
            exchange.abort();
        }
    }

    String hostHeader() {
        return hostHeader;
    }

    String path() {
        return path;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    Class<? extends Channel> channelType() {
        return channelType;
    }

    /** An exchange has completed its scan: {@link #close()} has no more to end of it. */
    void ended(RspamdExchange exchange) {
        inFlight.remove(exchange);
    }

    /** An action Rspamd proposed that we do not know (taken as no action): said once per action. */
    void unknownAction(String action) {
        if (unknownActions.add(action)) {
            LOG.warn("rspamd proposed the action '{}', which we do not know: taken as no action",
                    RspamdFailures.printable(action, 100));
        }
    }

    private InetSocketAddress resolve() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static URI checkUri(URI base) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("the Rspamd URL must be http (Rspamd's workers speak plain HTTP; "
                    + "reach a remote one through a tunnel): " + base);
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
        return "RspamdClient[" + checkUri + ", timeout " + timeoutNanos / 1_000_000 + " ms]";
    }
}
