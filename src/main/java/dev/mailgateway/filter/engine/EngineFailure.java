package dev.mailgateway.filter.engine;

/** Why an engine gave no report. Never carries a stack trace into a log at WARN: {@link #getMessage()} says it all. */
public final class EngineFailure extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** No complete answer within the engine timeout (a hang, a slow engine). */
        TIMEOUT,
        /** Could not connect, or the connection broke before the reply was complete. */
        UNAVAILABLE,
        /** A reply that is not the protocol (garbage, an HTTP error status, JSON we cannot read). */
        PROTOCOL
    }

    private final Kind kind;

    public EngineFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public EngineFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
