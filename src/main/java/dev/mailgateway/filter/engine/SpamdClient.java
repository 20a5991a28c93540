package dev.mailgateway.filter.engine;

import dev.mailgateway.filter.engine.EngineFailure.Kind;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * SpamAssassin's daemon, spamd, asked over its own protocol (SPAMC/1.5): one TCP connection per scan (spamd closes
 * it after each reply), the message streamed from its {@link MessageSource} in chunks (a 20 MB message is never
 * held in memory), the reply kept up to {@value #MAX_REPLY} bytes.
 *
 * <p>{@link Mode#SYMBOLS} asks for the names of the rules that hit; {@link Mode#HEADERS} for the header section
 * spamd would write, from whose {@code X-Spam-Status} field the rule names are read (its {@code tests=} list).
 * Either way the report has spamd's score and threshold (the {@code Spam:} reply header), TAG when spamd says the
 * message is spam and PASS otherwise, the rules with score NaN (spamd gives no per-rule scores in these replies), and
 * nothing to add, remove or rewrite.
 *
 * <p>Failures: nothing listening, a reset, or the connection closed before the reply was complete (a half reply
 * included) are {@link Kind#UNAVAILABLE}; no complete reply within the timeout, counted from the call, is
 * {@link Kind#TIMEOUT} (the connection is closed); a reply that is not spamd's protocol (garbage, a non-zero code
 * such as {@code SPAMD/1.0 76 Bad header line}, a reply over the bound) is {@link Kind#PROTOCOL}. When the message
 * cannot be opened or read, or yields another number of bytes than the request's size, the scan fails with
 * {@link Kind#UNAVAILABLE} too, the {@link IOException} as cause: every failure is an {@link EngineFailure}.
 *
 * <p>The message is opened and read on the I/O thread (chunks of 64 KB, as the connection takes them). A host name
 * (rather than an IP address) is resolved for each connection by the JDK's resolver, on the I/O thread too: give an
 * address, or a name the hosts file knows. Nothing is logged: the caller logs failures.
 *
 * <p>Its parts: {@code SpamdAddress} (host:port), {@code SpamdExchange} (one scan's connection),
 * {@code MessageChunks} (the message sent), {@code SpamdReply} and {@code SpamdRules} (the reply read).
 */
public final class SpamdClient implements SpamEngine {

    /** What to ask spamd for. */
    public enum Mode {
        /** The names of the rules that hit ({@code SYMBOLS}). */
        SYMBOLS,
        /** The header section spamd would write ({@code HEADERS}); the rules are read from {@code X-Spam-Status}. */
        HEADERS
    }

    /** The most reply bytes kept: a longer reply is a {@link Kind#PROTOCOL} failure. */
    static final int MAX_REPLY = 256 * 1024;

    private final String hostPort;
    private final InetSocketAddress address;
    private final long timeoutNanos;
    private final Mode mode;
    private final String user;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Class<? extends Channel> channelType;
    private final Set<SpamdExchange> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * A client on the caller's event loops, which it does not close.
     *
     * @param hostPort {@code host:port}, an IPv6 address in brackets ({@code [::1]:783})
     * @param timeout  the most a scan takes, from the call to the complete reply
     * @param group    Netty event loops running epoll or NIO, shared: {@link #close()} leaves them running
     * @throws IllegalArgumentException when an argument is not usable, saying which and why
     */
    public SpamdClient(String hostPort, Duration timeout, Mode mode, EventLoopGroup group) {
        this(hostPort, timeout, mode, null, group);
    }

    /**
     * {@link #SpamdClient(String, Duration, Mode, EventLoopGroup)} with spamd's {@code User:} header: the user
     * whose preferences spamd applies (when it reads user preferences at all); null sends none.
     */
    public SpamdClient(String hostPort, Duration timeout, Mode mode, String user, EventLoopGroup group) {
        this(hostPort, timeout, mode, user, group, false);
    }

    private SpamdClient(String hostPort, Duration timeout, Mode mode, String user, EventLoopGroup group,
            boolean ownsGroup) {
        this.address = SpamdAddress.parse(hostPort);
        this.hostPort = hostPort;
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("spamd timeout must be positive, not " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        if (mode == null) {
            throw new IllegalArgumentException("spamd mode is missing (SYMBOLS or HEADERS)");
        }
        this.mode = mode;
        if (user != null && (user.isEmpty() || !user.chars().allMatch(c -> c > ' ' && c < 127))) {
            throw new IllegalArgumentException("spamd user must be printable ASCII without spaces: '" + user + "'");
        }
        this.user = user;
        if (group == null) {
            throw new IllegalArgumentException("event loop group is missing");
        }
        this.channelType = channelTypeOf(group);
        this.group = group;
        this.ownsGroup = ownsGroup;
    }

    /**
     * A client with an I/O thread of its own (epoll where the platform has it, else NIO), which {@link #close()}
     * stops: for a caller without event loops to share.
     *
     * @param user spamd's {@code User:} header, null for none
     */
    public static SpamdClient withOwnEventLoop(String hostPort, Duration timeout, Mode mode, String user) {
        SpamdAddress.parse(hostPort); // a bad address starts no thread
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("spamd-io", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            return new SpamdClient(hostPort, timeout, mode, user, group, true);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public String name() {
        return "spamassassin";
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return "spamd at " + hostPort + " (" + mode + ")";
    }

    @Override
    public CompletionStage<SpamReport> scan(ScanRequest request) {
        if (request.size() < 0) {
            throw new IllegalArgumentException("negative message size " + request.size());
        }
        CompletableFuture<SpamReport> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new EngineFailure(Kind.UNAVAILABLE, this + ": client closed"));
            return result;
        }
        EventLoop loop;
        try {
            loop = group.next();
        } catch (RuntimeException e) {
            result.completeExceptionally(new EngineFailure(Kind.UNAVAILABLE, this + ": no event loop: " + e, e));
            return result;
        }
        SpamdExchange exchange = new SpamdExchange(this, request, result, loop);
        inFlight.add(exchange);
        try {
            loop.execute(exchange::start);
        } catch (RejectedExecutionException e) {
            inFlight.remove(exchange);
            result.completeExceptionally(new EngineFailure(Kind.UNAVAILABLE, this + ": event loop shut down", e));
            return result;
        }
        if (closed) { // closed while this scan was being set up
            exchange.abort();
        }
        return result;
    }

    /** Ends the scans under way ({@link Kind#UNAVAILABLE}); stops the I/O thread when the client has its own. */
    @Override
    public void close() {
        closed = true;
        for (SpamdExchange exchange : inFlight) {
            exchange.abort();
        }
        if (ownsGroup) {
            Future<?> terminated = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (!group.next().inEventLoop()) {
                terminated.awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What a scan of {@code size} bytes sends before the message: the request line and headers. */
    String requestHead(long size) {
        StringBuilder head = new StringBuilder(80).append(mode.name()).append(" SPAMC/1.5\r\n")
                .append("Content-length: ").append(size).append("\r\n");
        if (user != null) {
            head.append("User: ").append(user).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** The socket address connections go to. */
    InetSocketAddress address() {
        return address;
    }

    /** The socket channel that the event loops run. */
    Class<? extends Channel> channelType() {
        return channelType;
    }

    /** The most a scan takes, from the call to the complete reply. */
    long timeoutNanos() {
        return timeoutNanos;
    }

    /** An exchange has completed its scan: {@link #close()} has no more to end of it. */
    void ended(SpamdExchange exchange) {
        inFlight.remove(exchange);
    }

    /** The socket channel type for a group of epoll or NIO event loops (shared with {@link RspamdClient}). */
    static Class<? extends Channel> channelTypeOf(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            if (Epoll.isAvailable() && io.isIoType(EpollIoHandler.class)) {
                return EpollSocketChannel.class;
            }
            if (io.isIoType(NioIoHandler.class)) {
                return NioSocketChannel.class;
            }
        }
        throw new IllegalArgumentException("the event loop group must run epoll or NIO, not " + group);
    }
}
