package dev.mailgateway.smtpd;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.PolicyCheck;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.PolicyResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy check written as a Camel route (the endpoint's {@code policyUri}). The route gets the stage, the
 * client and the envelope so far as headers, runs on the worker pool, and refuses by setting
 * {@link SmtpdConstants#REPLY}. A route that fails or does not answer in time gives 451 4.3.5, a temporary
 * refusal: a broken policy must not let mail through, nor bounce it.
 */
final class RoutePolicyCheck implements PolicyCheck {

    private static final Logger LOG = LoggerFactory.getLogger(RoutePolicyCheck.class);
    private static final SmtpReply FAILED = SmtpReply.of(451, "4.3.5", "Server configuration problem");
    /** Marks an answer that did not come in time; compared by identity. */
    private static final PolicyResult TIMED_OUT = PolicyResult.refuse(FAILED);

    private final Endpoint endpoint;
    private final Executor workers;
    private final Duration timeout;
    private final ExceptionHandler errors;
    private final SmtpReply busy;
    private AsyncProducer producer;

    /** @param errors the listener's exception handler: where a policy route that cannot be called is reported */
    RoutePolicyCheck(Endpoint endpoint, Executor workers, Duration timeout, SmtpReply busy, ExceptionHandler errors) {
        this.endpoint = endpoint;
        this.workers = workers;
        this.timeout = timeout;
        this.busy = busy;
        this.errors = errors;
    }

    void start() throws Exception {
        producer = endpoint.createAsyncProducer();
        ServiceHelper.startService(producer);
    }

    void stop() {
        ServiceHelper.stopService(producer);
    }

    @Override
    public CompletionStage<PolicyResult> check(PolicyQuery query) {
        CompletableFuture<PolicyResult> answer = new CompletableFuture<>();
        try {
            workers.execute(() -> ask(query, answer));
        } catch (RejectedExecutionException e) {
            return PolicyResult.refuseNow(busy);
        }
        // completeOnTimeout cancels its timer when the answer comes first
        return answer.completeOnTimeout(TIMED_OUT, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(result -> result == TIMED_OUT ? timedOut(query) : result);
    }

    private void ask(PolicyQuery query, CompletableFuture<PolicyResult> answer) {
        Exchange exchange = endpoint.createExchange();
        fill(exchange.getMessage(), query);
        try {
            producer.process(exchange, doneSync -> answer.complete(resultOf(exchange, query)));
        } catch (RuntimeException e) {
            errors.handleException("policy route " + endpoint + " could not be called", exchange, e);
            answer.complete(PolicyResult.refuse(FAILED));
        }
    }

    private static void fill(Message message, PolicyQuery query) {
        message.setHeader(SmtpdConstants.STAGE, query.stage().name());
        message.setHeader(SmtpdConstants.LISTENER, query.listener());
        message.setHeader(SmtpdConstants.CLIENT_ADDRESS, query.client().getAddress().getHostAddress());
        message.setHeader(SmtpdConstants.CLIENT_PORT, query.client().getPort());
        message.setHeader(SmtpdConstants.HELO, query.helo());
        message.setHeader(SmtpdConstants.SENDER, query.sender() == null ? null : query.sender().toString());
        message.setHeader(SmtpdConstants.RECIPIENTS, query.recipients().stream().map(MailAddress::toString).toList());
        message.setHeader(SmtpdConstants.RECIPIENT, query.recipient() == null ? null : query.recipient().toString());
        message.setHeader(SmtpdConstants.AUTH_USER, query.authUser());
        message.setHeader(SmtpdConstants.TRUSTED_CLIENT, query.trusted());
    }

    private PolicyResult resultOf(Exchange exchange, PolicyQuery query) {
        if (exchange.getException() != null) {
            LOG.error("policy route {} failed at {} for {}: {}", endpoint, query.stage(), query.client(),
                    exchange.getException().toString());
            return PolicyResult.refuse(FAILED);
        }
        String reply = exchange.getMessage().getHeader(SmtpdConstants.REPLY, String.class);
        if (reply == null || reply.isBlank()) {
            return PolicyResult.PASS;
        }
        try {
            return PolicyResult.refuse(SmtpReply.parseRefusal(reply));
        } catch (IllegalArgumentException e) {
            LOG.error("policy route {} set {} to an invalid reply: {}", endpoint, SmtpdConstants.REPLY, reply);
            return PolicyResult.refuse(FAILED);
        }
    }

    private PolicyResult timedOut(PolicyQuery query) {
        LOG.error("policy route {} did not answer within {} at {} for {}", endpoint, timeout, query.stage(),
                query.client());
        return PolicyResult.refuse(FAILED);
    }
}
