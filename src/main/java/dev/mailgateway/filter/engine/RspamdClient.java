package dev.mailgateway.filter.engine;

/** Placeholder until the Rspamd client lands (branch f-rspamd). */
public final class RspamdClient implements SpamEngine {
    public RspamdClient(java.net.URI url, java.time.Duration timeout, java.util.concurrent.Executor executor) {
        throw new UnsupportedOperationException("not yet");
    }
    public String name() { return "rspamd"; }
    public java.util.concurrent.CompletionStage<SpamReport> scan(ScanRequest request) { throw new UnsupportedOperationException(); }
    public void close() { }
}
