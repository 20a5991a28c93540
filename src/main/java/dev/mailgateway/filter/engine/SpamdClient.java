package dev.mailgateway.filter.engine;

/** Placeholder until the spamd client lands (branch f-spamd). */
public final class SpamdClient implements SpamEngine {
    public enum Mode { SYMBOLS, HEADERS }
    public SpamdClient(String address, java.time.Duration timeout, Mode mode, io.netty.channel.EventLoopGroup group) {
        throw new UnsupportedOperationException("not yet");
    }
    public String name() { return "spamassassin"; }
    public java.util.concurrent.CompletionStage<SpamReport> scan(ScanRequest request) { throw new UnsupportedOperationException(); }
    public void close() { }
}
