package dev.mailgateway.smtpd.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Tells the session when its client has been silent too long: after the idle timeout or, while the listener is
 * near its connection limit, after the much shorter stress timeout (Postfix: smtpd_timeout = ${stress?10}:300), so
 * idle clients cannot keep everybody else out. Netty's IdleStateHandler has one fixed timeout, hence this.
 */
final class IdleTimeout extends ChannelInboundHandlerAdapter {

    private final TimeLimits limits;
    private final BooleanSupplier stressed;
    private long lastRead;
    private ScheduledFuture<?> check;

    IdleTimeout(TimeLimits limits, BooleanSupplier stressed) {
        this.limits = limits;
        this.stressed = stressed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastRead = System.nanoTime();
        schedule(ctx, Math.min(limits.idle().toNanos(), limits.stressIdle().toNanos()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean underStress = stressed.getAsBoolean();
        long limit = limits.idle(underStress).toNanos();
        long now = System.nanoTime();
        long silent = now - lastRead;
        if (silent >= limit) {
            lastRead = now; // a session waiting for us ignores the event: it may come again one period later
            silent = 0;
            ctx.fireUserEventTriggered(underStress ? SessionTimeout.IDLE_UNDER_STRESS : SessionTimeout.IDLE);
        }
        // without stress, still look again within the stress timeout: a listener filling up is noticed in time
        schedule(ctx, Math.min(limit - silent, limits.stressIdle().toNanos()));
    }

    private void schedule(ChannelHandlerContext ctx, long nanos) {
        check = ctx.executor().schedule(() -> check(ctx), nanos, TimeUnit.NANOSECONDS);
    }
}
