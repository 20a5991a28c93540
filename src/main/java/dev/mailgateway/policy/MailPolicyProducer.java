package dev.mailgateway.policy;

import dev.mailgateway.policy.block.BlockResult;
import dev.mailgateway.policy.block.PolicyBlock;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one block on an exchange and writes its result into the headers ({@link Findings}): {@code MailScore},
 * {@code MailReasons}, {@code MailReply}; with {@code reject=true}, a refusal also becomes {@code SmtpdReply} and
 * ends the route. Asynchronous: an answer that is not there yet (DNS, Redis, a probe)
 * continues the route on the component's threads, never on the DNS or Redis I/O thread that completed it.
 */
final class MailPolicyProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(MailPolicyProducer.class);

    private PolicyBlock block;
    private final java.util.concurrent.atomic.AtomicBoolean toldAfterData = new java.util.concurrent.atomic.AtomicBoolean();

    MailPolicyProducer(MailPolicyEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailPolicyEndpoint getEndpoint() {
        return (MailPolicyEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // a block whose options do not parse stops the route from starting, with the reason, not the first mail
        block = getEndpoint().getComponent().block(getEndpoint().getBlock(), getEndpoint().getConfiguration());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<BlockResult> answer;
        try {
            PolicyQuery query = PolicyHeaders.query(exchange);
            if (query.stage() == null) {
                tellIfNothingAfterData();
            }
            answer = block.check(query).toCompletableFuture();
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (answer.isDone()) {
            apply(exchange, answer.getNow(null), null);
            callback.done(true);
            return true;
        }
        answer.whenCompleteAsync((result, failure) -> {
            apply(exchange, result, failure);
            callback.done(false);
        }, getEndpoint().getComponent().continuations());
        return false;
    }

    /**
     * Greylisting, rate limits and verification answer commands (RCPT, MAIL, CONNECT); in a route after DATA they
     * pass everything. Said once, so an operator who put one there learns it is doing nothing.
     */
    private void tellIfNothingAfterData() {
        MailPolicyEndpoint.Block kind = getEndpoint().getBlock();
        if (kind != MailPolicyEndpoint.Block.DNSBL && kind != MailPolicyEndpoint.Block.RHSBL
                && toldAfterData.compareAndSet(false, true)) {
            LOG.warn("mail-policy:{} is in a route after DATA (no SmtpdStage): it only acts in the listener's policy"
                    + " route (policyUri), before DATA, and passes everything here", kind.uriName());
        }
    }

    private void apply(Exchange exchange, BlockResult result, Throwable failure) {
        if (failure != null) {
            // blocks turn their failures into results; this is a bug, and the policy route's error answer fits it
            LOG.error("mail-policy:{} failed", getEndpoint().getBlock().uriName(), failure);
            exchange.setException(failure);
            return;
        }
        Findings.record(exchange, result, getEndpoint().getConfiguration().isReject());
    }
}
