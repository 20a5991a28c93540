package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.SmtpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of one SMTP session, on its Netty event loop: feeds the client's bytes to the current
 * {@link InputReader}, writes replies and flushes them once per batch of input (so pipelined commands are answered
 * in one write), and holds input back while the session waits for a check or the route. Nothing here blocks.
 */
final class SmtpConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnection.class);
    /** Input held while the session waits, before we stop reading from the socket. */
    private static final int PAUSED_INPUT_LIMIT = 64 * 1024;

    private final ListenerSettings settings;
    private final MessageDelivery delivery;
    private final SmtpServer server;
    private ChannelHandlerContext ctx;
    private SmtpSession session;
    private ByteBuf input;
    private InputReader reader;
    private boolean paused;
    private boolean closing;
    private boolean unflushed;
    /** Set by STARTTLS: the rest of the plain-text input must be thrown away, never executed. */
    private boolean discardInput;
    private SslHandler tlsHandler;
    private TlsInfo tls;
    private DataRateGuard dataRate;

    SmtpConnection(ListenerSettings settings, MessageDelivery delivery, SmtpServer server) {
        this.settings = settings;
        this.delivery = delivery;
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.input = ctx.alloc().heapBuffer(512);
        this.dataRate = new DataRateGuard(settings.timeLimits().minDataRate(), ctx);
        this.session = new SmtpSession(settings, this, delivery, (InetSocketAddress) ctx.channel().remoteAddress());
        SslHandler implicit = ctx.pipeline().get(SslHandler.class);
        if (implicit != null) {
            watchHandshake(implicit);
        }
        server.opened(this);
        session.start();
        process(input);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            if (closing) {
                return;
            }
            dataRate.received(data.readableBytes());
            if (input.isReadable()) {
                input.writeBytes(data);
                process(input);
            } else {
                process(data); // the common case: no copy into our buffer
                if (data.isReadable() && !closing) {
                    input.writeBytes(data);
                }
            }
        } finally {
            data.release();
        }
    }

    private void process(ByteBuf in) {
        while (!paused && !closing && !discardInput && in.isReadable() && reader.read(in, session)) {
            // each round handles one command line or the rest of the message data
        }
        if (discardInput) {
            // CVE-2011-0411: commands a client pipelined behind STARTTLS in plain text are never executed
            discardInput = false;
            in.skipBytes(in.readableBytes());
            input.clear();
        }
        if (in == input && input != null) {
            if (!input.isReadable()) {
                input.clear();
            } else if (input.readerIndex() > 4096) {
                input.discardReadBytes();
            }
            if (paused && input.readableBytes() > PAUSED_INPUT_LIMIT) {
                ctx.channel().config().setAutoRead(false);
            }
        }
        if (unflushed && !closing) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // a paused session waits for us (a check, the disk, the route), not for its client: only the cap ends it
        if (evt instanceof SessionTimeout timeout && !closing && (!paused || timeout.endsPausedSession())) {
            session.timedOut(timeout);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        server.closed(this);
        session.closed();
        if (input != null) {
            input.release();
            input = null;
        }
    }

    /**
     * A network error (the client reset the connection, sent garbage as TLS) is the client's business: quiet. Anything
     * else is a bug or an exhausted heap: the client hears 421 4.3.0 before the close, the operator an ERROR line.
     * Netty brings here what handler methods throw; {@link #onLoop} and {@link #schedule} bring what their tasks throw.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String client = session == null ? String.valueOf(ctx.channel().remoteAddress()) : session.clientText();
        if (cause instanceof IOException
                || (cause instanceof DecoderException && cause.getCause() instanceof SSLException)) {
            LOG.debug("connection from {} failed: {}", client, cause.toString());
            closing = true;
            ctx.close();
            return;
        }
        if (closing) {
            ctx.close();
        } else {
            writeAndClose(settings.replies().internalError()); // first: logging may fail too when the heap is full
        }
        server.errors().handleException("smtpd: session with " + client + " failed, closing it", cause);
    }

    // ---- used by the session, always on the event loop ----

    void setReader(InputReader reader) {
        this.reader = reader;
        if (reader.readsContent()) {
            dataRate.start(settings.timeLimits().idle(server.isStressed()));
        } else {
            dataRate.stop();
        }
    }

    void write(SmtpReply reply) {
        if (!closing) {
            server.metrics().replied(reply);
            ctx.write(Unpooled.wrappedBuffer(reply.wire()), ctx.voidPromise());
            unflushed = true;
        }
    }

    /** Sends the reply (and anything not yet flushed), then closes; input after this is ignored. */
    void writeAndClose(SmtpReply reply) {
        if (!closing) {
            closing = true;
            server.metrics().replied(reply);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.wire())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Stops handing input to the session until {@link #resume()}; replies so far are flushed. */
    void pause() {
        paused = true;
        dataRate.pause();
    }

    void resume() {
        paused = false;
        dataRate.resume();
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    boolean isPaused() {
        return paused;
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * Runs the task on this connection's event loop, later (never inline, so a session never re-enters itself),
     * then goes on with any input that was held back.
     */
    void onLoop(Runnable task) {
        ctx.executor().execute(() -> runThenProcess(task));
    }

    void schedule(Runnable task, Duration delay) {
        ctx.executor().schedule(() -> {
            if (!closing) {
                runThenProcess(task);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void runThenProcess(Runnable task) {
        try {
            task.run();
            if (input != null) {
                process(input);
            }
        } catch (Throwable e) { // the event loop would only log it, and leave the session waiting for good
            exceptionCaught(ctx, e);
        }
    }

    /**
     * After "220 Ready to start TLS": that reply leaves in plain text, everything after it is TLS. The handler
     * goes first in the pipeline, so bytes Netty has not handed to us yet are read as TLS records.
     */
    void startTls() {
        ctx.flush();
        unflushed = false;
        SslHandler handler = settings.tls().newHandler(ctx.alloc());
        ctx.pipeline().addFirst("tls", handler);
        discardInput = true;
        watchHandshake(handler);
    }

    private void watchHandshake(SslHandler handler) {
        tlsHandler = handler;
        handler.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                SSLSession ssl = handler.engine().getSession();
                tls = new TlsInfo(ssl.getProtocol(), ssl.getCipherSuite());
                LOG.debug("{}: TLS {} {}", session.clientText(), tls.protocol(), tls.cipher());
            } else {
                LoggerFactory.getLogger("dev.mailgateway.smtpd").info("{}: TLS handshake failed: {}",
                        session.clientText(), f.cause().getMessage());
            }
        });
    }

    /** Whether TLS was started (STARTTLS, or implicit), handshake done or not. */
    boolean isTlsStarted() {
        return tlsHandler != null;
    }

    /** The session's TLS once the handshake is done; null in plain text. */
    TlsInfo tls() {
        return tls;
    }

    /** Cuts the connection now, from any thread. */
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    /** Called from any thread when the listener shuts down. */
    void drain() {
        onLoop(() -> {
            if (session != null) {
                session.drain();
            }
        });
    }
}
