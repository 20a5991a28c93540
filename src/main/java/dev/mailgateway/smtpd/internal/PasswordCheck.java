package dev.mailgateway.smtpd.internal;

import dev.mailgateway.auth.AuthThrottle;
import dev.mailgateway.mail.Printable;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AUTH password check, from complete credentials to 235, or 535 after a delay, or 421. The throttle is asked
 * here, before the check starts, and not only at AUTH: a session that began AUTH before its address was blocked,
 * or one of many sessions guessing at once, gets no check past the limit. The check runs off the event loop (bcrypt
 * is slow on purpose); its answer comes back on it.
 */
final class PasswordCheck {

    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.smtpd");

    private final SmtpSession session;
    private final SmtpConnection connection;
    private final ListenerSettings settings;
    private final InetSocketAddress client;

    PasswordCheck(SmtpSession session, SmtpConnection connection, ListenerSettings settings, InetSocketAddress client) {
        this.session = session;
        this.connection = connection;
        this.settings = settings;
        this.client = client;
    }

    void start(String mechanism, String user, String password) {
        AuthThrottle.Attempt attempt = settings.auth().throttle().begin(client.getAddress());
        if (attempt == null) {
            LOG.info("{}: AUTH {} for user=<{}> not checked: too many failed attempts from this address",
                    session.clientText(), mechanism, Printable.escape(user));
            connection.writeAndClose(settings.replies().tooManyAuthFailures());
            return;
        }
        connection.pause();
        CompletionStage<Boolean> answer;
        try {
            answer = settings.auth().authenticator().authenticate(user, password);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((ok, error) -> {
            // counted here, not on the loop: the slot is given back even when the session is gone
            boolean wrong = error == null && !Boolean.TRUE.equals(ok);
            int failures = wrong ? attempt.failed() : 0;
            if (!wrong) {
                attempt.ended();
            }
            connection.onLoop(() -> answered(mechanism, user, ok, error, failures));
        });
    }

    private void answered(String mechanism, String user, Boolean ok, Throwable error, int failures) {
        if (error != null) {
            LOG.error("{}: AUTH {} could not be checked", session.clientText(), mechanism, error);
            connection.resume();
            session.reply(Replies.AUTH_TEMPORARY);
        } else if (Boolean.TRUE.equals(ok)) {
            session.authenticatedAs(user);
            LOG.info("{}: AUTH {} as {}", session.clientText(), mechanism, Printable.escape(user));
            connection.resume();
            session.reply(Replies.AUTH_OK);
        } else {
            LOG.info("{}: AUTH {} failed for user=<{}> ({} failures)", session.clientText(), mechanism,
                    Printable.escape(user), failures);
            // this check's own count decides, not a later look that may include other sessions' failures since
            if (failures >= settings.auth().throttle().maxFailures()) {
                connection.writeAndClose(settings.replies().tooManyAuthFailures());
                return;
            }
            connection.schedule(() -> {
                connection.resume();
                session.reply(Replies.AUTH_FAILED);
            }, settings.auth().failureDelay());
        }
        session.closeIfDraining();
    }
}
