package dev.mailgateway.smtpd.internal;

import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Message data must keep coming at the minimum data rate on average, as with Postfix's smtpd_min_data_rate: DATA
 * and each BDAT chunk start with a deadline one idle timeout away; every read moves it later by bytes / rate, but
 * never further than one idle timeout from now. Without it a client sending a byte now and then would keep the
 * idle timer happy and hold its slot for as long as it likes. Time the session spends paused (the disk is behind)
 * is not the client's and does not count. On the connection's event loop only.
 */
final class DataRateGuard {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long minRate;
    private final ChannelHandlerContext ctx;
    private boolean active;
    private boolean paused;
    private long cap;
    private long deadline;
    private long pausedAt;
    private ScheduledFuture<?> check;

    /** @param minRate bytes per second; 0 turns the guard off */
    DataRateGuard(long minRate, ChannelHandlerContext ctx) {
        this.minRate = minRate;
        this.ctx = ctx;
    }

    /** Message data starts: the client has one idle timeout, and earns more time with every byte. */
    void start(Duration idle) {
        if (minRate == 0) {
            return;
        }
        cancel();
        active = true;
        paused = false;
        cap = idle.toNanos();
        deadline = System.nanoTime() + cap;
        schedule(cap);
    }

    void received(int bytes) {
        if (active) {
            deadline = Math.min(deadline + bytes * NANOS_PER_SECOND / minRate, System.nanoTime() + cap);
        }
    }

    void stop() {
        active = false;
        cancel();
    }

    void pause() {
        if (active && !paused) {
            paused = true;
            pausedAt = System.nanoTime();
            cancel();
        }
    }

    void resume() {
        if (active && paused) {
            paused = false;
            long now = System.nanoTime();
            deadline += now - pausedAt;
            schedule(deadline - now);
        }
    }

    private void check() {
        check = null;
        if (!active || paused) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(left);
        } else {
            active = false;
            ctx.pipeline().fireUserEventTriggered(SessionTimeout.DATA_RATE);
        }
    }

    private void schedule(long nanos) {
        check = ctx.executor().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
