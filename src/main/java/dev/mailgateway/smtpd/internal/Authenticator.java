package dev.mailgateway.smtpd.internal;

import java.util.concurrent.CompletionStage;

/** Checks a user's password. Slow by design (password hashing), so it answers later, never on the caller's thread. */
public interface Authenticator {

    CompletionStage<Boolean> authenticate(String user, String password);
}
