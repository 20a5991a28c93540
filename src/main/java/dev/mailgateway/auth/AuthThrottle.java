package dev.mailgateway.auth;

import dev.mailgateway.mail.Clients;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Password guessing limit per client, in memory: a password is only checked while the client's failures (within
 * {@code window} of each other) and its checks under way stay below {@code maxFailures} together. Counting the
 * checks under way, before they are made, is what keeps parallel sessions from getting more guesses than one
 * session could. After {@code maxFailures} failures the client may not try again until the window has passed
 * since its last failure. IPv6 clients count per /64, the block one host usually has. The table is bounded: past
 * {@link #MAX_CLIENTS} it first forgets entries with no recent failure and no check under way.
 */
public final class AuthThrottle {

    static final int MAX_CLIENTS = 100_000;

    private record Client(int failures, long lastFailureNanos, int checking) {
    }

    private final int maxFailures;
    private final long windowNanos;
    private final ConcurrentHashMap<InetAddress, Client> clients = new ConcurrentHashMap<>();

    public AuthThrottle(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
    }

    /** Failures that block a client. */
    public int maxFailures() {
        return maxFailures;
    }

    /** Whether the client failed too often: it gets no further password checks until the window has passed. */
    public boolean isBlocked(InetAddress client) {
        Client c = clients.get(Clients.counted(client));
        return c != null && failures(c, System.nanoTime()) >= maxFailures;
    }

    /**
     * Asks to check one password of this client, when its credentials are complete and before the (slow) check
     * starts.
     *
     * @return the attempt, to be ended exactly once with its outcome; null when the client may not have another
     *         password checked now (blocked, or as many checks under way as it has failures left)
     */
    public Attempt begin(InetAddress client) {
        long now = System.nanoTime();
        if (clients.size() >= MAX_CLIENTS) {
            clients.values().removeIf(c -> c.checking() == 0 && failures(c, now) == 0);
        }
        InetAddress key = Clients.counted(client);
        boolean[] granted = {false};
        clients.compute(key, (k, c) -> {
            int failures = c == null ? 0 : failures(c, now);
            int checking = c == null ? 0 : c.checking();
            if (failures + checking >= maxFailures) {
                return c;
            }
            granted[0] = true;
            return new Client(failures, c == null ? now : c.lastFailureNanos(), checking + 1);
        });
        return granted[0] ? new Attempt(key) : null;
    }

    /** One password check under way; its slot is given back once, whatever the outcome. */
    public final class Attempt {

        private final InetAddress key;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Attempt(InetAddress key) {
            this.key = key;
        }

        /** The password was wrong: counts a failure. @return how many failures the client has now */
        public int failed() {
            return end(true);
        }

        /** The password was right, or could not be checked: no failure. */
        public void ended() {
            end(false);
        }

        private int end(boolean failure) {
            if (!ended.compareAndSet(false, true)) {
                throw new IllegalStateException("this attempt has ended already");
            }
            long now = System.nanoTime();
            int[] failuresNow = {0};
            clients.compute(key, (k, c) -> {
                int failures = (c == null ? 0 : failures(c, now)) + (failure ? 1 : 0);
                int checking = c == null ? 0 : Math.max(0, c.checking() - 1);
                failuresNow[0] = failures;
                if (failures == 0 && checking == 0) {
                    return null;
                }
                return new Client(failures, failure || c == null ? now : c.lastFailureNanos(), checking);
            });
            return failuresNow[0];
        }
    }

    /** The failures that still count: none once the window has passed since the last one. */
    private int failures(Client c, long now) {
        return now - c.lastFailureNanos() > windowNanos ? 0 : c.failures();
    }
}
