package dev.mailgateway.filter.engine;

import dev.mailgateway.filter.engine.EngineFailure.Kind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One scan: its connection, its deadline and the reply so far. Everything but {@link #abort} runs on its event
 * loop; the first of a report, a failure and the deadline completes the scan and closes the connection and the
 * message.
 */
final class RspamdExchange extends ChannelInboundHandlerAdapter {

    /** HTTP's limits on the reply head: Rspamd's is a few short lines. */
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 16 * 1024;

    private final RspamdClient client;
    private final ScanRequest request;
    private final InetSocketAddress address;
    private final CompletableFuture<SpamReport> result;
    private final EventLoop loop;
    /** {@link System#nanoTime()} when the scan was asked for: the timeout counts from there. */
    private final long asked = System.nanoTime();
    private Channel channel;
    private Future<?> deadline;
    private MessageChunks body;
    private HttpResponse head;
    private final ByteArrayOutputStream replyBody = new ByteArrayOutputStream(2048);
    private Throwable broken;
    private boolean done;

    RspamdExchange(RspamdClient client, ScanRequest request, InetSocketAddress address,
            CompletableFuture<SpamReport> result, EventLoop loop) {
        this.client = client;
        this.request = request;
        this.address = address;
        this.result = result;
        this.loop = loop;
    }

    void start() {
        if (done) {
            return;
        }
        long timeoutNanos = client.timeoutNanos();
        long left = timeoutNanos - (System.nanoTime() - asked); // the loop may have been busy
        deadline = loop.schedule(() -> fail(new EngineFailure(Kind.TIMEOUT, "rspamd: no complete answer within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")), Math.max(0, left), TimeUnit.NANOSECONDS);
        ChannelFuture connect;
        try {
            connect = new Bootstrap().group(loop).channel(client.channelType())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(
                                    new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 64 * 1024),
                                    new ChunkedWriteHandler(), RspamdExchange.this);
                        }
                    })
                    .connect(address);
        } catch (RuntimeException e) {
            fail(new EngineFailure(Kind.UNAVAILABLE, "rspamd: cannot connect: " + message(e), e));
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
            fail(new EngineFailure(cause instanceof ConnectTimeoutException ? Kind.TIMEOUT : Kind.UNAVAILABLE,
                    "rspamd: cannot connect to " + client.hostHeader() + ": " + message(cause) + after(), cause));
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
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, client.path());
        post.headers().set(HttpHeaderNames.HOST, client.hostHeader());
        post.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(post, request.size());
        RspamdRequestHeaders.addEnvelope(post.headers(), request);
        channel.write(post);
        channel.writeAndFlush(new HttpChunkedInput(body)).addListener(this::sent);
    }

    private void sent(Future<? super Void> write) {
        if (done || write.isSuccess()) {
            return;
        }
        if (body.failure != null) {
            fail(unreadable(body.failure));
        } else {
            // the connection broke: Rspamd may have answered first (a refusal); channelInactive decides
            broken = write.cause();
            channel.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!done && msg instanceof HttpObject object) {
                read(object);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(HttpObject object) {
        DecoderResult decoded = object.decoderResult();
        if (decoded.isFailure()) {
            Throwable cause = decoded.cause();
            fail(cause instanceof PrematureChannelClosureException ? closedEarly()
                    : new EngineFailure(Kind.PROTOCOL, "rspamd: not an HTTP reply: " + message(cause), cause));
            return;
        }
        if (object instanceof HttpResponse response) {
            head = response;
            long declared = HttpUtil.getContentLength(response, -1L);
            if (declared > RspamdClient.MAX_REPLY_BYTES) {
                fail(tooLarge("Content-Length " + declared));
                return;
            }
        }
        if (object instanceof HttpContent content) {
            ByteBuf bytes = content.content();
            if (replyBody.size() + (long) bytes.readableBytes() > RspamdClient.MAX_REPLY_BYTES) {
                fail(tooLarge("at least " + (replyBody.size() + (long) bytes.readableBytes())));
                return;
            }
            replyBody.writeBytes(ByteBufUtil.getBytes(bytes));
            if (content instanceof LastHttpContent) {
                answered();
            }
        }
    }

    /** The whole reply is in. */
    private void answered() {
        byte[] json = replyBody.toByteArray();
        SpamReport report;
        try {
            if (head == null) { // cannot happen: the codec gives the head first
                throw new EngineFailure(Kind.PROTOCOL, "rspamd: a reply body without a head");
            }
            if (head.status().code() != 200) {
                throw new EngineFailure(Kind.PROTOCOL, "rspamd answered HTTP " + head.status().code()
                        + RspamdFailures.snippet(json));
            }
            report = RspamdReply.parse(json, client::unknownAction);
        } catch (EngineFailure failure) {
            fail(failure);
            return;
        } catch (RuntimeException e) {
            fail(new EngineFailure(Kind.PROTOCOL, "rspamd: unexpected failure reading the reply: " + message(e), e));
            return;
        }
        finish();
        result.complete(report);
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
        fail(closedEarly()); // nothing when the reply was complete
    }

    private EngineFailure closedEarly() {
        String why = broken == null ? "" : " (" + message(broken) + ")";
        return new EngineFailure(Kind.UNAVAILABLE, "rspamd: connection closed "
                + (head == null ? "without a reply" : "after " + replyBody.size() + " bytes of the reply body")
                + why + after(), broken);
    }

    private EngineFailure tooLarge(String size) {
        return new EngineFailure(Kind.PROTOCOL, "rspamd: the reply is over " + RspamdClient.MAX_REPLY_BYTES
                + " bytes (" + size + ")");
    }

    private EngineFailure unreadable(Exception e) {
        return new EngineFailure(Kind.UNAVAILABLE, "rspamd: cannot read the message: " + message(e), e);
    }

    private String after() {
        return " (after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked) + " ms)";
    }

    private void fail(EngineFailure failure) {
        if (done) {
            return;
        }
        finish();
        result.completeExceptionally(failure);
    }

    /** Called by {@link RspamdClient#close()}, from any thread. */
    void abort() {
        EngineFailure closing = new EngineFailure(Kind.UNAVAILABLE, "rspamd: the client was closed");
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
    }

    private static String message(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return RspamdFailures.printable(text, 200);
    }
}
