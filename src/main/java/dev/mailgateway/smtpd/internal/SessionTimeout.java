package dev.mailgateway.smtpd.internal;

/** Why a session ran out of time: an event the timers send down the pipeline to the {@link SmtpConnection}. */
enum SessionTimeout {

    IDLE, IDLE_UNDER_STRESS, DATA_RATE, SESSION_TIME;

    /** For the log line: what the client did not do in time. */
    String reason(TimeLimits limits) {
        return switch (this) {
            case IDLE -> "no input for " + text(limits.idle());
            case IDLE_UNDER_STRESS -> "no input for " + text(limits.stressIdle())
                    + " with the listener near its connection limit";
            case DATA_RATE -> "message data slower than " + limits.minDataRate() + " bytes/s";
            case SESSION_TIME -> "session longer than " + text(limits.maxSession());
        };
    }

    private static String text(java.time.Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** Whether it ends a session that is waiting for us (a check, the disk, the route) rather than for its client. */
    boolean endsPausedSession() {
        return this == SESSION_TIME;
    }
}
