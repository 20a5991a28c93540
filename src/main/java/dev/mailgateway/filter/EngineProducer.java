package dev.mailgateway.filter;

import dev.mailgateway.filter.engine.EngineAction;
import dev.mailgateway.filter.engine.EngineFailure;
import dev.mailgateway.filter.engine.RspamdClient;
import dev.mailgateway.filter.engine.MessageSource;
import dev.mailgateway.filter.engine.ScanRequest;
import dev.mailgateway.filter.engine.SpamEngine;
import dev.mailgateway.filter.engine.SpamReport;
import dev.mailgateway.filter.engine.SpamdClient;
import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.ops.ThrottledWarnings;
import dev.mailgateway.policy.Findings;
import dev.mailgateway.policy.PolicyHeaders;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.block.BlockResult;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mail-filter:rspamd} and {@code mail-filter:spamassassin}: asks an engine about the message and adds its
 * score and rules to the verdict, its proposed action to {@code MailSpamAction} and its report to
 * {@code MailSpamReports}. The route waits without holding a thread; the answer continues it on the component's
 * pool. An engine that fails is a result: with {@code onEngineFailure=accept} the message goes on, marked
 * {@code MailSpamUnknown}; with {@code tempfail} the verdict becomes 451 4.7.1. Never a 5xx because an engine broke.
 * With no engine configured (blank URL or address) the block does nothing.
 */
final class EngineProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(EngineProducer.class);
    private static final ThrottledWarnings WARNINGS = new ThrottledWarnings(LOG, Duration.ofMinutes(1));

    private SpamEngine engine;

    EngineProducer(MailFilterEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailFilterEndpoint getEndpoint() {
        return (MailFilterEndpoint) super.getEndpoint();
    }

    private MailFilterConfiguration config() {
        return getEndpoint().getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String onFailure = config().getOnEngineFailure();
        if (!"accept".equalsIgnoreCase(onFailure) && !"tempfail".equalsIgnoreCase(onFailure)) {
            throw new IllegalArgumentException("onEngineFailure must be accept or tempfail, not " + onFailure);
        }
        MailFilterComponent component = getEndpoint().getComponent();
        if (getEndpoint().getBlock() == MailFilterEndpoint.Block.RSPAMD) {
            String url = config().getRspamdUrl();
            if (url != null && !url.isBlank()) {
                engine = new RspamdClient(URI.create(url.strip()), config().getEngineTimeout(),
                        component.engineIo());
            }
        } else {
            String address = config().getSpamdAddress();
            if (address != null && !address.isBlank()) {
                engine = new SpamdClient(address.strip(), config().getEngineTimeout(),
                        SpamdClient.Mode.valueOf(config().getSpamdMode().strip().toUpperCase(Locale.ROOT)),
                        component.engineIo());
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        SpamEngine asked = engine;
        if (asked == null) {
            callback.done(true);
            return true;
        }
        Message message = exchange.getMessage();
        CompletableFuture<SpamReport> answer;
        try {
            long size = size(message);
            long limit = getEndpoint().getBlock() == MailFilterEndpoint.Block.RSPAMD ? config().getMaxScanSize()
                    : config().getSpamdMaxSize();
            if (size > limit) {
                Findings.record(exchange, BlockResult.noted(asked.name().toUpperCase(Locale.ROOT)
                        + "_NOT_SCANNED (size " + size + ")"), false);
                callback.done(true);
                return true;
            }
            answer = asked.scan(request(exchange, size)).toCompletableFuture();
        } catch (Exception e) {
            answer = CompletableFuture.failedFuture(e);
        }
        long askedAt = System.nanoTime();
        answer.whenCompleteAsync((report, failure) -> {
            try {
                getEndpoint().getComponent().engineScanned(asked.name(), failure == null, System.nanoTime() - askedAt);
                if (failure == null) {
                    recordReport(exchange, asked, report);
                } else {
                    recordFailure(exchange, asked, failure);
                }
            } catch (RuntimeException e) {
                exchange.setException(e);
            } finally {
                callback.done(false);
            }
        }, getEndpoint().getComponent().continuations());
        return false;
    }

    private static long size(Message message) {
        Object body = message.getBody();
        if (body instanceof byte[] bytes) {
            return bytes.length;
        }
        if (body instanceof StreamCache cache && cache.length() > 0) {
            return cache.length();
        }
        Long size = message.getHeader(SmtpdConstants.SIZE, Long.class);
        if (size == null) {
            throw new IllegalStateException("the message's size is not known");
        }
        return size;
    }

    private static ScanRequest request(Exchange exchange, long size) {
        Message message = exchange.getMessage();
        PolicyQuery query = PolicyHeaders.query(exchange);
        List<String> recipients = new ArrayList<>();
        query.recipients().forEach(r -> recipients.add(r.toString()));
        String sender = query.sender() == null || query.sender().isNullSender() ? "" : query.sender().toString();
        return new ScanRequest(source(exchange), size, query.client().getAddress(), query.helo(),
                null, sender, recipients, message.getHeader(SmtpdConstants.QUEUE_ID, String.class),
                query.authUser(), message.getHeader(SmtpdConstants.TLS_PROTOCOL) != null);
    }

    /**
     * The message as the engine reads it: a stream of its own, so that an engine still reading after its timeout
     * (the route has gone on) never shares a position with the next step.
     */
    private static MessageSource source(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof byte[] bytes) {
            return () -> new ByteArrayInputStream(bytes);
        }
        if (body instanceof StreamCache cache && cache instanceof InputStream) {
            return () -> (InputStream) cache.copy(exchange);
        }
        return () -> MessageBytes.open(exchange.getMessage());
    }

    private void recordReport(Exchange exchange, SpamEngine asked, SpamReport report) {
        Message message = exchange.getMessage();
        List<String> reasons = new ArrayList<>();
        for (SpamReport.Symbol symbol : report.symbols()) {
            if (Double.isNaN(symbol.score()) || symbol.score() != 0) {
                reasons.add(Reasons.of(symbol.name(), symbol.score()));
            }
        }
        // the engine's total is what counts (once); its rules are listed for the reader and X-Spam-Status's tests=
        reasons.add(0, Reasons.of(asked.name().toUpperCase(Locale.ROOT), report.score()));
        Findings.record(exchange, new BlockResult(report.score(), reasons, null), false);
        EngineAction before = actionOf(message);
        if (before == null || report.action().compareTo(before) > 0) {
            message.setHeader(MailFilterConstants.SPAM_ACTION, report.action().name().toLowerCase(Locale.ROOT));
        }
        List<SpamReport> reports = new ArrayList<>();
        List<?> earlier = message.getHeader(MailFilterConstants.SPAM_REPORTS, List.class);
        if (earlier != null) {
            earlier.forEach(r -> reports.add((SpamReport) r));
        }
        reports.add(report);
        message.setHeader(MailFilterConstants.SPAM_REPORTS, reports);
    }

    static EngineAction actionOf(Message message) {
        String action = message.getHeader(MailFilterConstants.SPAM_ACTION, String.class);
        return action == null ? null : EngineAction.valueOf(action.toUpperCase(Locale.ROOT));
    }

    private void recordFailure(Exchange exchange, SpamEngine asked, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String kind = cause instanceof EngineFailure engineFailure ? engineFailure.kind().name().toLowerCase(Locale.ROOT)
                : "error";
        getEndpoint().getComponent().engineFailed(asked.name());
        boolean tempfail = "tempfail".equalsIgnoreCase(config().getOnEngineFailure());
        String queueId = exchange.getMessage().getHeader(SmtpdConstants.QUEUE_ID, String.class);
        if (cause instanceof EngineFailure) {
            WARNINGS.warn(asked.name() + kind, "{}: {} gave no answer ({}: {}); {}", queueId, asked.name(), kind,
                    cause.getMessage(), tempfail ? "answering 451 4.7.1" : "accepting without its opinion");
        } else {
            LOG.error("{}: asking {} failed", queueId, asked.name(), cause); // a bug of ours: worth its stack trace
        }
        exchange.getMessage().setHeader(tempfail ? MailFilterConstants.SPAM_TEMPFAIL : MailFilterConstants.SPAM_UNKNOWN,
                true);
        Findings.record(exchange, BlockResult.noted(asked.name().toUpperCase(Locale.ROOT) + "_FAILED (" + kind + ")"),
                false);
    }
}
