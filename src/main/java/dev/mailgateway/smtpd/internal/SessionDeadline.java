package dev.mailgateway.smtpd.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends every session after the longest time a session may take, whatever it is doing: a client that keeps the
 * idle timer happy with a NOOP now and then, and a session paused on something that never answers, would
 * otherwise hold a connection slot for good.
 */
final class SessionDeadline extends ChannelInboundHandlerAdapter {

    private final Duration maxSession;
    private ScheduledFuture<?> timer;

    SessionDeadline(Duration maxSession) {
        this.maxSession = maxSession;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> ctx.fireUserEventTriggered(SessionTimeout.SESSION_TIME),
                maxSession.toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
