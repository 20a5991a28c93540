package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.SmtpReply;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket and its sessions. Refuses connections over the limits with 421 before any session
 * starts, and shuts down gracefully: new clients get 421, sessions finish what they are doing, then the socket
 * closes.
 */
public final class SmtpServer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);

    private final ListenerSettings settings;
    private final MessageDelivery delivery;
    private final EventLoops loops;
    private final ListenerMetrics metrics;
    private final ExceptionHandler errors;
    private final ConnectionLimiter limiter;
    private final Set<SmtpConnection> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;
    private Channel serverChannel;

    public SmtpServer(ListenerSettings settings, MessageDelivery delivery, EventLoops loops, ListenerMetrics metrics) {
        this(settings, delivery, loops, metrics, LoggedErrors.INSTANCE);
    }

    /**
     * @param errors where unexpected errors of sessions go (the consumer's exception handler, as in every Camel
     *               consumer); the client hears 421 or 451 either way
     */
    public SmtpServer(ListenerSettings settings, MessageDelivery delivery, EventLoops loops, ListenerMetrics metrics,
            ExceptionHandler errors) {
        this.settings = settings;
        this.delivery = delivery;
        this.loops = loops;
        this.metrics = metrics;
        this.errors = errors;
        this.limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerClient());
    }

    ExceptionHandler errors() {
        return errors;
    }

    public InetSocketAddress bind(String host, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.loops(), loops.loops())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        admit(channel);
                    }
                });
        serverChannel = bootstrap.bind(host, port).sync().channel();
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("listener {} on {}:{} as {}", settings.name(), address.getHostString(), address.getPort(),
                settings.hostname());
        return address;
    }

    private void admit(SocketChannel channel) {
        InetSocketAddress remote = channel.remoteAddress();
        if (draining) {
            refuse(channel, settings.replies().shuttingDown());
            return;
        }
        boolean trusted = settings.trustedNetworks().contains(remote.getAddress());
        switch (limiter.acquire(remote.getAddress(), trusted)) {
            case TOO_MANY -> {
                LOG.warn("NOQUEUE: reject: CONNECT from {}: too many connections ({})", remote, limiter.open());
                refuse(channel, settings.replies().tooManyConnections());
            }
            case TOO_MANY_FROM_CLIENT -> {
                LOG.warn("NOQUEUE: reject: CONNECT from {}: too many connections from this client", remote);
                refuse(channel, settings.replies().tooManyFromClient());
            }
            case OK -> {
                channel.closeFuture().addListener(f -> limiter.release(remote.getAddress()));
                if (settings.tls().mode() == TlsMode.IMPLICIT) {
                    channel.pipeline().addLast("tls", settings.tls().newHandler(channel.alloc()));
                }
                channel.pipeline().addLast(
                        new IdleTimeout(settings.timeLimits(), this::isStressed),
                        new SessionDeadline(settings.timeLimits().maxSession()),
                        new SmtpConnection(settings, delivery, this));
            }
        }
    }

    ListenerMetrics metrics() {
        return metrics;
    }

    private void refuse(Channel channel, SmtpReply reply) {
        metrics.connectionRefused(reply);
        channel.writeAndFlush(Unpooled.wrappedBuffer(reply.wire())).addListener(ChannelFutureListener.CLOSE);
    }

    void opened(SmtpConnection connection) {
        connections.add(connection);
        metrics.sessionOpened();
        if (draining) {
            connection.drain();
        }
    }

    void closed(SmtpConnection connection) {
        if (connections.remove(connection)) {
            metrics.sessionClosed();
        }
        if (draining && connections.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * Near the connection limit (above three quarters of it), idle clients get the short stress timeout, as
     * Postfix does when its smtpd processes run out: the slots go to clients that talk.
     */
    boolean isStressed() {
        return limiter.open() * 4L > settings.maxConnections() * 3L;
    }

    /** Sessions currently open. */
    public int sessions() {
        return connections.size();
    }

    /**
     * Graceful stop: from now on new clients get 421; each session ends as soon as it is not in the middle of a
     * message; after at most {@code timeout} the rest are cut. Then the socket closes.
     */
    public void shutdown(Duration timeout) throws InterruptedException {
        draining = true;
        connections.forEach(SmtpConnection::drain);
        if (connections.isEmpty()) {
            drained.complete(null);
        }
        try {
            drained.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("listener {}: {} sessions still open after {}, closing them", settings.name(),
                    connections.size(), timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (serverChannel != null) {
            serverChannel.close().sync();
        }
        connections.forEach(SmtpConnection::close);
        LOG.info("listener {} stopped", settings.name());
    }
}
