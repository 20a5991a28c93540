package dev.mailgateway.smtpd.internal;

import java.time.Duration;

/**
 * How long a session may take, so that slow or silent clients cannot hold the listener's connection slots.
 *
 * @param idle        silence from the client before the session ends (Postfix's smtpd_timeout)
 * @param stressIdle  the same while the listener is near its connection limit (Postfix's ${stress?10}:300)
 * @param minDataRate bytes per second message data must keep up on average in DATA and BDAT, as Postfix's
 *                    smtpd_min_data_rate; 0: only the idle timeout applies
 * @param maxSession  the longest a session may last, whatever it is doing (also while it waits for us)
 */
public record TimeLimits(Duration idle, Duration stressIdle, long minDataRate, Duration maxSession) {

    public TimeLimits {
        require(idle.toMillis() > 0, "idleTimeout", idle);
        require(stressIdle.toMillis() > 0, "stressIdleTimeout", stressIdle);
        require(minDataRate >= 0, "minDataRate", minDataRate);
        require(maxSession.toMillis() > 0, "maxSessionTime", maxSession);
    }

    /** The idle timeout that applies now. */
    public Duration idle(boolean stressed) {
        return stressed ? stressIdle : idle;
    }

    private static void require(boolean ok, String option, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("smtpd: invalid " + option + ": " + value);
        }
    }
}
