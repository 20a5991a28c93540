package dev.mailgateway.filter.engine;

import dev.mailgateway.filter.engine.EngineFailure.Kind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One scan: its connection, its deadline and the reply so far. Everything but {@link #abort} runs on its event
 * loop; the first of a report, a failure and the deadline completes the scan, closes the connection and the
 * message.
 */
final class SpamdExchange extends ChannelInboundHandlerAdapter {

    private final SpamdClient client;
    private final ScanRequest request;
    private final CompletableFuture<SpamReport> result;
    private final EventLoop loop;
    /** {@link System#nanoTime()} when the scan was asked for: the timeout counts from there. */
    private final long asked = System.nanoTime();
    private Channel channel;
    private Future<?> deadline;
    private MessageChunks body;
    private SpamdReply reply;
    private Throwable broken;
    private boolean done;

    SpamdExchange(SpamdClient client, ScanRequest request, CompletableFuture<SpamReport> result, EventLoop loop) {
        this.client = client;
        this.request = request;
        this.result = result;
        this.loop = loop;
        this.reply = new SpamdReply(client.toString(), client.mode());
    }

    void start() {
        if (done) {
            return;
        }
        long timeoutNanos = client.timeoutNanos();
        long left = timeoutNanos - (System.nanoTime() - asked); // the loop may have been busy
        deadline = loop.schedule(() -> fail(new EngineFailure(Kind.TIMEOUT, client
                + ": no complete reply within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")),
                Math.max(0, left), TimeUnit.NANOSECONDS);
        ChannelFuture connect;
        try {
            connect = new Bootstrap().group(loop).channel(client.channelType())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ChunkedWriteHandler(), SpamdExchange.this);
                        }
                    })
                    .connect(client.address());
        } catch (RuntimeException e) {
            fail(new EngineFailure(Kind.UNAVAILABLE, client + ": cannot connect: " + e, e));
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
                    : Kind.UNAVAILABLE, client + ": cannot connect: " + message(cause), cause));
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
        channel.write(Unpooled.copiedBuffer(client.requestHead(request.size()), StandardCharsets.US_ASCII));
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
        return new EngineFailure(Kind.UNAVAILABLE, client + ": cannot read the message to scan: "
                + message(e), e);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (done) {
                return;
            }
            reply.add(bytes);
        } catch (EngineFailure tooLong) {
            fail(tooLong);
            return;
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
            fail(new EngineFailure(Kind.UNAVAILABLE, client + ": connection closed"));
        }
    }

    /** Completes the scan when the reply so far is enough to; {@code end}: no more will come. */
    private void evaluate(boolean end) {
        if (done) {
            return;
        }
        SpamReport report;
        try {
            report = reply.report(end);
        } catch (EngineFailure failure) {
            fail(failure);
            return;
        }
        if (report != null) {
            finish();
            result.complete(report);
        } else if (end) {
            fail(closedEarly());
        }
    }

    private EngineFailure closedEarly() {
        String why = broken == null ? "" : " (" + message(broken) + ")";
        return new EngineFailure(Kind.UNAVAILABLE, client + ": connection closed after " + reply.length()
                + " bytes, before the reply was complete" + why, broken);
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
        EngineFailure closing = new EngineFailure(Kind.UNAVAILABLE, client + ": client closed");
        try {
            loop.execute(() -> fail(closing));
        } catch (RejectedExecutionException e) {
            // its loop is gone, and with it the connection
            client.ended(this);
            result.completeExceptionally(closing);
        }
    }

    /** Before the scan's stage completes: nothing of it stays open. */
    private void finish() {
        done = true;
        client.ended(this);
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

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
