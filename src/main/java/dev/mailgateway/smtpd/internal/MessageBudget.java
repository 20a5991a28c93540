package dev.mailgateway.smtpd.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Bytes of messages between the end of DATA and the route's answer: the route turns a message into a JMS message,
 * in memory, whatever its size on the way in. Past the limit a message waits its turn (first come, first served);
 * its client is answered when it had its turn, or told to come back (452 4.3.1) when it waited too long. A
 * message larger than the whole budget goes when it can have all of it.
 */
public final class MessageBudget {

    private record Waiter(long bytes, CompletableFuture<Boolean> turn) {
    }

    private final long limit;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long used;

    public MessageBudget(long limit) {
        this.limit = limit;
    }

    /** Completes with true once the bytes are granted; the caller completes it with false to give up. */
    public CompletableFuture<Boolean> acquire(long bytes) {
        long need = Math.min(bytes, limit);
        Waiter waiter;
        synchronized (this) {
            if (waiting.isEmpty() && used + need <= limit) {
                used += need;
                return CompletableFuture.completedFuture(true);
            }
            waiter = new Waiter(need, new CompletableFuture<>());
            waiting.add(waiter);
        }
        // one that gives up may have held back smaller ones behind it that fit now
        waiter.turn().thenAccept(granted -> {
            if (!granted) {
                release(0);
            }
        });
        return waiter.turn();
    }

    public void release(long bytes) {
        List<Waiter> granted = new ArrayList<>();
        synchronized (this) {
            used -= Math.min(bytes, limit);
            while (!waiting.isEmpty()) {
                Waiter next = waiting.peek();
                if (next.turn().isDone()) { // gave up waiting
                    waiting.poll();
                } else if (used + next.bytes() <= limit) {
                    waiting.poll();
                    used += next.bytes();
                    granted.add(next);
                } else {
                    break;
                }
            }
        }
        for (Waiter waiter : granted) {
            if (!waiter.turn().complete(true)) {
                release(waiter.bytes()); // it gave up in the meantime: its share, not ours, goes back
            }
        }
    }

    public synchronized long used() {
        return used;
    }

    public long limit() {
        return limit;
    }
}
