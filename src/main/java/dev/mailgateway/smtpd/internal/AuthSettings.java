package dev.mailgateway.smtpd.internal;

import dev.mailgateway.auth.AuthThrottle;
import java.time.Duration;

/**
 * SMTP AUTH on one listener.
 *
 * @param plaintextAllowed whether AUTH is offered without TLS (never by default: 538 5.7.11)
 * @param failureDelay     how long a wrong password waits before its 535, to slow down guessing
 * @param throttle         failed attempts per client address, shared by the gateway's listeners
 */
public record AuthSettings(AuthMode mode, boolean plaintextAllowed, Authenticator authenticator,
        Duration failureDelay, AuthThrottle throttle) {

    public static final AuthSettings NONE = new AuthSettings(AuthMode.NONE, false, null, Duration.ZERO, null);

    public boolean enabled() {
        return mode != AuthMode.NONE;
    }
}
