package dev.mailgateway.filter.engine;

import dev.mailgateway.filter.engine.EngineFailure.Kind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final int CHUNK = 64 * 1024;
    /** A status line or header line longer than this is not spamd's. */
    private static final int MAX_LINE = 4096;
    private static final byte[] SPAMD = "SPAMD/".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern STATUS = Pattern.compile("SPAMD/(\\d+\\.\\d+) +(\\d+) *(.*)");
    private static final Pattern SPAM = Pattern.compile(
            "(True|False|Yes|No)\\s*;\\s*(-?\\d+(?:\\.\\d+)?)\\s*/\\s*(-?\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern TESTS = Pattern.compile("(?:^|\\s)tests=((?:[A-Za-z0-9_.-]+,\\s*)*[A-Za-z0-9_.-]+)");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private final String hostPort;
    private final InetSocketAddress address;
    private final long timeoutNanos;
    private final Mode mode;
    private final String user;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Class<? extends Channel> channelType;
    private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
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
        this.address = address(hostPort);
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
        this.channelType = channelType(group);
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
        address(hostPort); // a bad address starts no thread
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
        Exchange exchange = new Exchange(request, result, loop);
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
        for (Exchange exchange : inFlight) {
            exchange.abort();
        }
        if (ownsGroup) {
            Future<?> terminated = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (!group.next().inEventLoop()) {
                terminated.awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
    }

    private String request(long size) {
        StringBuilder head = new StringBuilder(80).append(mode.name()).append(" SPAMC/1.5\r\n")
                .append("Content-length: ").append(size).append("\r\n");
        if (user != null) {
            head.append("User: ").append(user).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /**
     * One scan: its connection, its deadline and the reply so far. Everything but {@link #abort} runs on its event
     * loop; the first of a report, a failure and the deadline completes the scan, closes the connection and the
     * message.
     */
    private final class Exchange extends ChannelInboundHandlerAdapter {

        private final ScanRequest request;
        private final CompletableFuture<SpamReport> result;
        private final EventLoop loop;
        /** {@link System#nanoTime()} when the scan was asked for: the timeout counts from there. */
        private final long asked = System.nanoTime();
        private Channel channel;
        private Future<?> deadline;
        private MessageChunks body;
        private byte[] reply = new byte[1024];
        private int length;
        /** Where the body of the reply starts, once its header lines are read; -1 before. */
        private int bodyStart = -1;
        /** The reply's Content-length; -1 when it has none or its header lines are not read yet. */
        private long contentLength = -1;
        private String spamHeader;
        private Throwable broken;
        private boolean done;

        Exchange(ScanRequest request, CompletableFuture<SpamReport> result, EventLoop loop) {
            this.request = request;
            this.result = result;
            this.loop = loop;
        }

        void start() {
            if (done) {
                return;
            }
            long left = timeoutNanos - (System.nanoTime() - asked); // the loop may have been busy
            deadline = loop.schedule(() -> fail(new EngineFailure(Kind.TIMEOUT, SpamdClient.this
                    + ": no complete reply within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")),
                    Math.max(0, left), TimeUnit.NANOSECONDS);
            ChannelFuture connect;
            try {
                connect = new Bootstrap().group(loop).channel(channelType)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                                (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))))
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new ChunkedWriteHandler(), Exchange.this);
                            }
                        })
                        .connect(address);
            } catch (RuntimeException e) {
                fail(new EngineFailure(Kind.UNAVAILABLE, SpamdClient.this + ": cannot connect: " + e, e));
                return;
            }
            channel = connect.channel();
            connect.addListener(this::connected);
        }

        private void connected(Future<? super Void> connect) {
            if (done) {
                return;
            }
            if (!connect.isSuccess()) {
                Throwable cause = connect.cause();
                fail(new EngineFailure(cause instanceof ConnectTimeoutException ? Kind.TIMEOUT
                        : Kind.UNAVAILABLE, SpamdClient.this + ": cannot connect: " + message(cause), cause));
                return;
            }
            InputStream in;
            try {
                in = request.message().open();
            } catch (IOException | RuntimeException e) {
                fail(unreadable(e));
                return;
            }
            body = new MessageChunks(in, request.size());
            channel.write(Unpooled.copiedBuffer(request(request.size()), StandardCharsets.US_ASCII));
            channel.writeAndFlush(body).addListener(this::sent);
        }

        private void sent(Future<? super Void> write) {
            if (done || write.isSuccess()) {
                return;
            }
            if (body.failure != null) {
                fail(unreadable(body.failure));
            } else {
                // the connection broke: spamd may have answered first (a refusal); channelInactive decides
                broken = write.cause();
                channel.close();
            }
        }

        private EngineFailure unreadable(Exception e) {
            return new EngineFailure(Kind.UNAVAILABLE, SpamdClient.this + ": cannot read the message to scan: "
                    + message(e), e);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                if (done) {
                    return;
                }
                int n = bytes.readableBytes();
                if (length + n > MAX_REPLY) {
                    fail(new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": reply longer than " + MAX_REPLY
                            + " bytes"));
                    return;
                }
                if (length + n > reply.length) {
                    reply = Arrays.copyOf(reply, Math.min(MAX_REPLY, Math.max(length + n, reply.length * 2)));
                }
                bytes.readBytes(reply, length, n);
                length += n;
            } finally {
                bytes.release();
            }
            evaluate(false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (broken == null) {
                broken = cause;
            }
            ctx.close(); // channelInactive decides, from what arrived
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            evaluate(true);
            if (!done) { // cannot happen: at the end every reply is complete or not
                fail(new EngineFailure(Kind.UNAVAILABLE, SpamdClient.this + ": connection closed"));
            }
        }

        /** Completes the scan when the reply so far is enough to; {@code end}: no more will come. */
        private void evaluate(boolean end) {
            if (done) {
                return;
            }
            SpamReport report;
            try {
                report = parse(end);
            } catch (EngineFailure failure) {
                fail(failure);
                return;
            }
            if (report != null) {
                finish();
                result.complete(report);
            }
        }

        /** The report, or null while more of the reply is needed. */
        private SpamReport parse(boolean end) {
            if (bodyStart < 0 && !readHead(end)) {
                return null;
            }
            int available = length - bodyStart;
            int bodyLength;
            if (contentLength >= 0) {
                if (available < contentLength) {
                    if (end) {
                        throw closedEarly();
                    }
                    return null;
                }
                bodyLength = (int) contentLength;
            } else if (end) {
                bodyLength = available;
            } else {
                return null;
            }
            return report(new String(reply, bodyStart, bodyLength, StandardCharsets.ISO_8859_1));
        }

        /** Reads the status and header lines; false while they are not all there. */
        private boolean readHead(boolean end) {
            int prefix = Math.min(length, SPAMD.length);
            if (!Arrays.equals(reply, 0, prefix, SPAMD, 0, prefix)) {
                throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": not a spamd reply: "
                        + printable(firstLine()));
            }
            int lineStart = 0;
            List<String> lines = new ArrayList<>();
            while (true) {
                int lf = indexOf((byte) '\n', lineStart);
                if (lf < 0) {
                    if (length - lineStart > MAX_LINE) {
                        throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": reply line longer than "
                                + MAX_LINE + " bytes");
                    }
                    if (end) {
                        throw closedEarly();
                    }
                    return false;
                }
                int lineEnd = lf > lineStart && reply[lf - 1] == '\r' ? lf - 1 : lf;
                String line = new String(reply, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
                lineStart = lf + 1;
                if (lines.isEmpty()) {
                    status(line); // a refusal is known at once, whatever follows
                } else if (line.isEmpty()) {
                    break;
                }
                lines.add(line);
            }
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": not a reply header line: "
                            + printable(line));
                }
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                if (name.equals("content-length")) {
                    contentLength = contentLength(value);
                } else if (name.equals("spam")) {
                    spamHeader = value;
                }
            }
            bodyStart = lineStart;
            return true;
        }

        private void status(String line) {
            Matcher status = STATUS.matcher(line);
            if (!status.matches()) {
                throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": not a spamd reply: " + printable(line));
            }
            if (!status.group(2).equals("0")) {
                throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + " refused the scan: " + printable(line));
            }
        }

        private long contentLength(String value) {
            if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": bad Content-length: " + printable(value));
            }
            long parsed = Long.parseLong(value);
            if (parsed > MAX_REPLY) {
                throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": reply longer than " + MAX_REPLY
                        + " bytes (Content-length: " + parsed + ")");
            }
            return parsed;
        }

        private SpamReport report(String body) {
            if (spamHeader == null) {
                throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": reply without a Spam: header");
            }
            Matcher spam = SPAM.matcher(spamHeader);
            if (!spam.matches()) {
                throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": bad Spam: header: "
                        + printable(spamHeader));
            }
            boolean isSpam = spam.group(1).equalsIgnoreCase("true") || spam.group(1).equalsIgnoreCase("yes");
            double score = Double.parseDouble(spam.group(2));
            double required = Double.parseDouble(spam.group(3));
            List<String> rules = mode == Mode.SYMBOLS ? symbols(body) : testsOfStatus(body);
            List<SpamReport.Symbol> symbols = new ArrayList<>(rules.size());
            for (String rule : rules) {
                symbols.add(new SpamReport.Symbol(rule, Double.NaN));
            }
            return new SpamReport(score, required, isSpam ? EngineAction.TAG : EngineAction.PASS, symbols, null,
                    List.of(), List.of(), null);
        }

        /** SYMBOLS: the rule names, comma-separated. */
        private List<String> symbols(String body) {
            List<String> rules = new ArrayList<>();
            for (String name : body.split(",")) {
                String rule = name.strip();
                if (rule.isEmpty()) {
                    continue;
                }
                if (!RULE.matcher(rule).matches()) {
                    throw new EngineFailure(Kind.PROTOCOL, SpamdClient.this + ": not a rule name: " + printable(rule));
                }
                rules.add(rule);
            }
            return rules;
        }

        /**
         * HEADERS: the rule names of the {@code tests=} list of the (unfolded) {@code X-Spam-Status} field; none
         * when the field is missing or says {@code tests=none} (a site may have changed the field's template).
         */
        private List<String> testsOfStatus(String headers) {
            String status = null;
            StringBuilder field = null;
            for (String line : headers.split("\r?\n", -1)) {
                if (field != null && !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                    field.append(line);
                    continue;
                }
                if (field != null) {
                    status = field.toString();
                    break;
                }
                if (line.isEmpty()) {
                    break; // the end of the header section
                }
                if (line.regionMatches(true, 0, "X-Spam-Status:", 0, 14)) {
                    field = new StringBuilder(line.substring(14));
                }
            }
            if (status == null && field != null) {
                status = field.toString();
            }
            if (status == null) {
                return List.of();
            }
            Matcher tests = TESTS.matcher(status);
            if (!tests.find() || tests.group(1).equals("none")) {
                return List.of();
            }
            List<String> rules = new ArrayList<>();
            for (String name : tests.group(1).split(",")) {
                rules.add(name.strip());
            }
            return rules;
        }

        private EngineFailure closedEarly() {
            String why = broken == null ? "" : " (" + message(broken) + ")";
            return new EngineFailure(Kind.UNAVAILABLE, SpamdClient.this + ": connection closed after " + length
                    + " bytes, before the reply was complete" + why, broken);
        }

        private int indexOf(byte b, int from) {
            for (int i = from; i < length; i++) {
                if (reply[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        private String firstLine() {
            int lf = indexOf((byte) '\n', 0);
            return new String(reply, 0, lf < 0 ? length : lf, StandardCharsets.ISO_8859_1);
        }

        private void fail(EngineFailure failure) {
            if (done) {
                return;
            }
            finish();
            result.completeExceptionally(failure);
        }

        /** Called by {@link SpamdClient#close()}, from any thread. */
        void abort() {
            EngineFailure closing = new EngineFailure(Kind.UNAVAILABLE, SpamdClient.this + ": client closed");
            try {
                loop.execute(() -> fail(closing));
            } catch (RejectedExecutionException e) {
                // its loop is gone, and with it the connection
                inFlight.remove(this);
                result.completeExceptionally(closing);
            }
        }

        /** Before the scan's stage completes: nothing of it stays open. */
        private void finish() {
            done = true;
            inFlight.remove(this);
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (channel != null) {
                channel.close();
            }
            if (body != null) {
                body.close();
            }
            reply = null;
        }
    }

    /** The message as chunks for {@link ChunkedWriteHandler}: exactly {@code size} bytes, or a failure. */
    private static final class MessageChunks implements ChunkedInput<ByteBuf> {

        private final InputStream in;
        private final long size;
        private long sent;
        private boolean closed;
        /** Why the message could not be read, when that is why the write failed. */
        IOException failure;

        MessageChunks(InputStream in, long size) {
            this.in = in;
            this.size = size;
        }

        @Override
        public boolean isEndOfInput() {
            return closed || sent == size;
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
            if (closed) {
                return null;
            }
            int want = (int) Math.min(CHUNK, size - sent);
            ByteBuf chunk = want == 0 ? Unpooled.EMPTY_BUFFER : allocator.buffer(want);
            try {
                while (chunk.readableBytes() < want) {
                    if (chunk.writeBytes(in, want - chunk.readableBytes()) < 0) {
                        throw new IOException("the message ended after " + (sent + chunk.readableBytes())
                                + " bytes, not " + size);
                    }
                }
                sent += want;
                if (sent == size && in.read() >= 0) {
                    throw new IOException("the message is longer than its size, " + size + " bytes");
                }
                return chunk;
            } catch (IOException | RuntimeException e) {
                chunk.release();
                failure = e instanceof IOException io ? io : new IOException(e);
                throw failure;
            }
        }

        @Override
        public long length() {
            return size;
        }

        @Override
        public long progress() {
            return sent;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    in.close();
                } catch (IOException ignored) {
                    // nothing more is read from it
                }
            }
        }
    }

    /**
     * {@code host:port} as a socket address: an IP address as it is, a host name unresolved (resolved for each
     * connection).
     */
    static InetSocketAddress address(String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            throw new IllegalArgumentException("spamd address is missing: give host:port, e.g. 127.0.0.1:783");
        }
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("spamd address '" + hostPort
                        + "' is not [IPv6 address]:port, e.g. [::1]:783");
            }
            host = hostPort.substring(1, close);
            port = hostPort.substring(close + 2);
            if (!NetUtil.isValidIpV6Address(host)) {
                throw new IllegalArgumentException("spamd address '" + hostPort + "': '" + host
                        + "' in brackets is not an IPv6 address");
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("spamd address '" + hostPort + "' has no port: give host:port,"
                        + " e.g. 127.0.0.1:783");
            }
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("spamd address '" + hostPort + "': an IPv6 address goes in"
                        + " brackets, e.g. [::1]:783");
            }
            if (!NetUtil.isValidIpV4Address(host) && !HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("spamd address '" + hostPort + "': '" + host
                        + "' is neither an IP address nor a host name");
            }
        }
        int number = -1;
        if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            number = Integer.parseInt(port);
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("spamd address '" + hostPort + "': port '" + port
                    + "' is not a number from 1 to 65535");
        }
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(host);
        return ip != null ? new InetSocketAddress(ip, number) : InetSocketAddress.createUnresolved(host, number);
    }

    private static Class<? extends Channel> channelType(EventLoopGroup group) {
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

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** At most 200 characters, control characters shown as '?'. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(c < ' ' || c > '~' ? '?' : c);
        }
        return text.length() > 200 ? out + "..." : out.toString();
    }
}
