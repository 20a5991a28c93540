package dev.mailgateway.policy;

import java.util.concurrent.CompletionStage;

/**
 * One policy step, asked at CONNECT, HELO, MAIL and RCPT. It answers pass or refuse and never throws.
 * Checks that need no I/O answer with an already-completed stage ({@link PolicyResult#passNow()}); checks that
 * do I/O must not block the caller's thread (it is a network event loop) and complete the stage later.
 */
@FunctionalInterface
public interface PolicyCheck {

    CompletionStage<PolicyResult> check(PolicyQuery query);
}
