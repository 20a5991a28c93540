package dev.mailgateway.filter.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What went wrong in an exchange with Rspamd, as the {@link EngineFailure} the caller gets: the JDK's HTTP client
 * fails with its own exceptions (wrapped in its stages), each mapped here to {@code TIMEOUT}, {@code UNAVAILABLE}
 * or {@code PROTOCOL}; and the failure messages' text, printable and bounded.
 */
final class RspamdFailures {

    /** The message source failed to open. */
    static final class UnreadableMessage extends IOException {
        UnreadableMessage(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private RspamdFailures() {
    }

    /**
     * What a failure is to the caller: an EngineFailure as it is, anything else mapped to its kind.
     *
     * @param started {@link System#nanoTime()} when the scan was asked for
     * @param timeout the client's timeout, for the message of a {@code TIMEOUT}
     */
    static EngineFailure of(Throwable failure, long started, Duration timeout) {
        Throwable cause = unwrap(failure);
        if (cause instanceof EngineFailure engineFailure) {
            return engineFailure;
        }
        String after = " (after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms)";
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) { // the JDK's timers
            return new EngineFailure(EngineFailure.Kind.TIMEOUT, "rspamd: no complete answer within "
                    + timeout.toMillis() + " ms: " + describe(cause), cause);
        }
        if (cause instanceof RspamdReplyBody.TooLarge) {
            return new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: " + cause.getMessage(), cause);
        }
        if (cause instanceof ProtocolException) { // a status line or headers that are not HTTP
            return new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: not an HTTP reply: " + describe(cause),
                    cause);
        }
        UnreadableMessage unreadable = find(cause, UnreadableMessage.class);
        if (unreadable != null) {
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE,
                    "rspamd: cannot read the message: " + describe(unreadable.getCause()), unreadable);
        }
        if (cause instanceof ConnectException) {
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: cannot connect: " + describe(cause)
                    + after, cause);
        }
        if (cause instanceof UnknownHostException) {
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: unknown host: " + describe(cause),
                    cause);
        }
        if (cause instanceof IOException) { // reset, closed before or in the reply
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: connection failed: " + describe(cause)
                    + after, cause);
        }
        if (cause instanceof CancellationException) {
            return new EngineFailure(EngineFailure.Kind.UNAVAILABLE, "rspamd: the scan was cancelled", cause);
        }
        if (cause instanceof IllegalArgumentException) { // the JDK refused the request (a header it takes as bad)
            return new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: cannot make the request: "
                    + describe(cause), cause);
        }
        return new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: unexpected failure: " + describe(cause),
                cause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + printable(message, 200));
    }

    /** The start of a reply body, for a failure's message: nothing for an empty body. */
    static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        return ": " + printable(new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8), 200);
    }

    /** For a log line or a failure's message: no control characters, bounded. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString().strip();
    }
}
