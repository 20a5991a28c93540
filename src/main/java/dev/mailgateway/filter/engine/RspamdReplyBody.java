package dev.mailgateway.filter.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects the reply body up to {@link RspamdClient#MAX_REPLY_BYTES}; a longer one fails with {@link TooLarge}
 * (and the exchange is cancelled).
 */
final class RspamdReplyBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The reply body is over the bound: a {@code PROTOCOL} failure. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private static final int MAX = RspamdClient.MAX_REPLY_BYTES;

    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final long declared;
    private Flow.Subscription subscription;

    RspamdReplyBody(HttpResponse.ResponseInfo info) {
        this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declared > MAX) {
            tooLarge(declared);
            return;
        }
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            if (bytes.size() + (long) item.remaining() > MAX) {
                tooLarge(bytes.size() + (long) item.remaining());
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        body.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    private void tooLarge(long size) {
        body.completeExceptionally(new TooLarge("the reply is over " + MAX + " bytes ("
                + (declared >= 0 ? "Content-Length " + declared : "at least " + size) + ")"));
        subscription.cancel();
    }
}
