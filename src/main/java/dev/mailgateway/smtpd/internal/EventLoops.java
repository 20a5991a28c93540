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
 * The Netty threads all listeners share: one acceptor and a few I/O loops (one per core by default). Native
 * epoll where the platform has it (fewer copies and syscalls than NIO), NIO otherwise.
 */
public final class EventLoops {

    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final Class<? extends ServerChannel> serverChannel;

    public EventLoops(int ioThreads) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("smtpd-accept", true), handlers);
        this.io = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("smtpd-io", true), handlers);
        this.serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    EventLoopGroup acceptor() {
        return acceptor;
    }

    EventLoopGroup io() {
        return io;
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public void shutdown() {
        acceptor.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
