package dev.mailgateway.filter.engine;

import java.util.concurrent.CompletionStage;

/**
 * A content-scanning engine we ask over the network (Rspamd, spamd). A scan never hangs: the stage completes
 * within the engine's timeout, with a report or exceptionally with an {@link EngineFailure} (timeout, refused
 * connection, a reply that is not the protocol). No network I/O happens on the caller's thread; the stage may
 * complete on the engine's own I/O thread, so callers continue on their own pool ({@code whenCompleteAsync}).
 */
public interface SpamEngine extends AutoCloseable {

    /** Short name for reasons and logs: {@code rspamd}, {@code spamassassin}. */
    String name();

    CompletionStage<SpamReport> scan(ScanRequest request);

    @Override
    void close();
}
