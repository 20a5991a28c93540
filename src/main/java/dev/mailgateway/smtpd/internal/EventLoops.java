package dev.mailgateway.smtpd.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The Netty threads all listeners share. The same loops accept and serve connections: SMTP is many short round
 * trips, and on a small machine every extra thread handing work to another costs a wake-up per connection
 * (measured on 2 cores with smtp-source: one loop that also accepts took ~190 us of CPU and 4 context switches
 * per message, a separate acceptor and two loops ~270 us and 6-7). Native epoll where the platform has it.
 */
public final class EventLoops {

    private final EventLoopGroup loops;
    private final Class<? extends ServerChannel> serverChannel;

    public EventLoops(int threads) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("smtpd-io", true), handlers);
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Half the cores, at least one: the other half runs routes. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    EventLoopGroup loops() {
        return loops;
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public void shutdown() {
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
