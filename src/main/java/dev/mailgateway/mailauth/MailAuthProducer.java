package dev.mailgateway.mailauth;

import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.mailauth.dkim.DkimResult;
import dev.mailgateway.mailauth.dmarc.DmarcResult;
import dev.mailgateway.mailauth.dmarc.FromDomains;
import dev.mailgateway.mailauth.spf.SpfResult;
import dev.mailgateway.policy.Findings;
import dev.mailgateway.policy.PolicyHeaders;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.policy.block.BlockResult;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one authentication block on an exchange. Its result goes into its own header ({@code MailAuthSpf},
 * {@code MailAuthDkim}, {@code MailAuthDmarc}), its method result into {@code MailAuthResults} (for
 * {@code mail-auth:results}), its verdict into the shared {@code MailScore}/{@code MailReasons}/{@code MailReply}.
 * Trusted and authenticated clients are not checked as senders: their mail is ours. DNS answers that come later
 * continue the route on the component's threads.
 */
final class MailAuthProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(MailAuthProducer.class);

    /** What a block found, to be written into the exchange. */
    private record Outcome(String header, Object value, List<String> results, BlockResult verdict,
            boolean quarantine) {
        static final Outcome NOTHING = new Outcome(null, null, List.of(), BlockResult.PASS, false);
    }

    private final AtomicBoolean toldStage = new AtomicBoolean();

    MailAuthProducer(MailAuthEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailAuthEndpoint getEndpoint() {
        return (MailAuthEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // a Public Suffix List file that does not load stops the route from starting, not the first message
        if (getEndpoint().getBlock() == MailAuthEndpoint.Block.DMARC) {
            component().dmarc();
        }
    }

    private MailAuthComponent component() {
        return getEndpoint().getComponent();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<Outcome> answer;
        try {
            answer = check(exchange).toCompletableFuture();
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (answer.isDone()) {
            apply(exchange, answer);
            callback.done(true);
            return true;
        }
        answer.whenCompleteAsync((outcome, failure) -> {
            apply(exchange, answer);
            callback.done(false);
        }, component().continuations());
        return false;
    }

    private CompletionStage<Outcome> check(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        PolicyQuery query = PolicyHeaders.query(exchange);
        boolean exempt = query.trusted() || query.authUser() != null;
        MailAuthEndpoint.Block block = getEndpoint().getBlock();
        if (block == MailAuthEndpoint.Block.SPF) {
            if (exempt || (query.stage() != null && query.stage() != Stage.MAIL)) {
                return CompletableFuture.completedFuture(Outcome.NOTHING);
            }
            return spf(query).thenApply(this::spfOutcome);
        }
        if (query.stage() != null) { // the others need the message: in a policy route they have nothing to do
            if (toldStage.compareAndSet(false, true)) {
                LOG.warn("mail-auth:{} needs the message: in a policy route (before DATA) it does nothing",
                        block.uriName());
            }
            return CompletableFuture.completedFuture(Outcome.NOTHING);
        }
        return switch (block) {
            case DKIM -> exempt ? CompletableFuture.completedFuture(Outcome.NOTHING)
                    : dkim(message).thenApply(this::dkimOutcome);
            case DMARC -> exempt ? CompletableFuture.completedFuture(Outcome.NOTHING) : dmarc(message, query);
            default -> CompletableFuture.completedFuture(results(exchange, query));
        };
    }

    private CompletionStage<SpfResult> spf(PolicyQuery query) {
        String sender = query.sender() == null || query.sender().isNullSender() ? "" : query.sender().toString();
        return component().spf().checkMailFrom(query.client().getAddress(), query.helo(), sender);
    }

    private Outcome spfOutcome(SpfResult spf) {
        String property = "mailfrom".equals(spf.identity()) ? "smtp.mailfrom" : "smtp.helo";
        String line = "spf=" + spf.result().keyword()
                + (spf.problem() != null ? " " + AuthenticationResults.comment(spf.problem()) : "")
                + " " + property + "=" + AuthenticationResults.value(spf.domain());
        BlockResult verdict = switch (spf.result()) {
            case FAIL -> BlockResult.refuse(SmtpReply.of(550, "5.7.23", "SPF validation failed for "
                    + ascii(spf.domain()) + (spf.explanation() == null ? "" : ": " + ascii(spf.explanation()))),
                    "SPF_FAIL");
            case TEMPERROR -> BlockResult.refuse(SmtpReply.of(451, "4.7.24", "SPF validation error for "
                    + ascii(spf.domain()) + ", try again later"), "SPF_TEMPERROR");
            case PASS -> BlockResult.PASS;
            default -> BlockResult.noted("SPF_" + spf.result().name());
        };
        return new Outcome(MailAuthConstants.SPF, spf, List.of(line), verdict, false);
    }

    private CompletionStage<List<DkimResult>> dkim(Message message) throws Exception {
        try (InputStream in = MessageBytes.open(message)) {
            return component().dkim().verify(in);
        } finally {
            org.apache.camel.support.MessageHelper.resetStreamCache(message);
        }
    }

    private Outcome dkimOutcome(List<DkimResult> signatures) {
        List<String> lines = new ArrayList<>();
        boolean anyPass = false;
        for (DkimResult dkim : signatures) {
            anyPass |= dkim.result() == DkimResult.Result.PASS;
            StringBuilder line = new StringBuilder("dkim=").append(dkim.result().keyword());
            if (dkim.reason() != null) {
                line.append(' ').append(AuthenticationResults.comment(dkim.reason()));
            }
            if (dkim.domain() != null) {
                line.append(" header.d=").append(AuthenticationResults.value(dkim.domain()));
            }
            if (dkim.identity() != null) {
                line.append(" header.i=").append(AuthenticationResults.value(dkim.identity()));
            }
            if (dkim.selector() != null) {
                line.append(" header.s=").append(AuthenticationResults.value(dkim.selector()));
            }
            if (dkim.signature() != null && !dkim.signature().isEmpty()) {
                line.append(" header.b=").append(AuthenticationResults.value(
                        dkim.signature().substring(0, Math.min(12, dkim.signature().length()))));
            }
            lines.add(line.toString());
        }
        if (signatures.isEmpty()) {
            lines.add("dkim=none");
        }
        BlockResult verdict = signatures.isEmpty() || anyPass ? BlockResult.PASS
                : BlockResult.refuse(SmtpReply.of(550, "5.7.20", "No passing DKIM signature found"), "DKIM_FAIL");
        return new Outcome(MailAuthConstants.DKIM, signatures, lines, verdict, false);
    }

    @SuppressWarnings("unchecked")
    private CompletionStage<Outcome> dmarc(Message message, PolicyQuery query) throws Exception {
        List<String> from = FromDomains.of(MessageBytes.headerSection(message));
        SpfResult known = message.getHeader(MailAuthConstants.SPF, SpfResult.class);
        List<DkimResult> signed = message.getHeader(MailAuthConstants.DKIM, List.class);
        // the route may leave out spf or dkim steps: DMARC then asks for them itself
        CompletionStage<SpfResult> spf = known != null ? CompletableFuture.completedFuture(known) : spf(query);
        CompletionStage<List<DkimResult>> dkim = signed != null ? CompletableFuture.completedFuture(signed)
                : dkim(message);
        return spf.thenCombine(dkim, (s, d) -> new Object[] {s, d})
                .thenCompose(both -> {
                    try {
                        return component().dmarc().evaluate(from, (SpfResult) both[0], (List<DkimResult>) both[1]);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .thenApply(this::dmarcOutcome);
    }

    private Outcome dmarcOutcome(DmarcResult dmarc) {
        StringBuilder line = new StringBuilder("dmarc=").append(dmarc.result().keyword());
        if (dmarc.fromDomain() != null && (dmarc.result() == DmarcResult.Result.PASS
                || dmarc.result() == DmarcResult.Result.FAIL)) {
            line.append(" (p=").append(dmarc.policy().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" dis=").append(dmarc.disposition().name().toLowerCase(java.util.Locale.ROOT)).append(')')
                    .append(" header.from=").append(AuthenticationResults.value(dmarc.fromDomain()));
        } else {
            if (dmarc.reason() != null) {
                line.append(' ').append(AuthenticationResults.comment(dmarc.reason()));
            }
            if (dmarc.fromDomain() != null) {
                line.append(" header.from=").append(AuthenticationResults.value(dmarc.fromDomain()));
            }
        }
        boolean enforce = getEndpoint().getConfiguration().isEnforce();
        BlockResult verdict = BlockResult.PASS;
        boolean quarantine = false;
        if (dmarc.result() == DmarcResult.Result.PERMERROR && dmarc.fromDomain() == null) {
            // no author domain to check (no From, or none that parses): RFC 5322 wants exactly one, and a From
            // only a mail reader can make sense of is how a forged author would slip past every domain's policy
            verdict = enforce ? BlockResult.refuse(SmtpReply.of(550, "5.7.1",
                    "Message rejected: no valid From address (RFC 5322)"), "DMARC_NO_FROM")
                    : BlockResult.noted("DMARC_NO_FROM");
        } else if (dmarc.result() == DmarcResult.Result.FAIL) {
            verdict = BlockResult.noted("DMARC_FAIL");
            if (enforce && dmarc.disposition() == DmarcResult.Policy.REJECT) {
                verdict = BlockResult.refuse(SmtpReply.of(550, "5.7.1", "Rejected by DMARC policy for "
                        + ascii(dmarc.fromDomain())), "DMARC_REJECT");
            } else if (enforce && dmarc.disposition() == DmarcResult.Policy.QUARANTINE) {
                verdict = BlockResult.noted("DMARC_QUARANTINE");
                quarantine = true;
            }
        }
        return new Outcome(MailAuthConstants.DMARC, dmarc, List.of(line.toString()), verdict, quarantine);
    }

    /**
     * Writes Authentication-Results into the message: the results so far, or auth= for our own users ("none"
     * when nothing was found); trusted networks' mail gets none of ours. Fields that claim our authserv-id go.
     */
    private Outcome results(Exchange exchange, PolicyQuery query) throws Exception {
        Message message = exchange.getMessage();
        List<String> results = new ArrayList<>();
        if (query.authUser() != null) {
            results.add("auth=pass smtp.auth=" + AuthenticationResults.value(query.authUser()));
        }
        List<?> found = message.getHeader(MailAuthConstants.RESULTS, List.class);
        if (found != null) {
            found.forEach(r -> results.add(String.valueOf(r)));
        }
        byte[] header = MessageBytes.headerSection(message);
        // mail from our own networks is not checked: it gets no field of ours, but none that claims to be ours
        boolean add = !(query.trusted() && results.isEmpty());
        if (!add && !AuthenticationResults.anyClaims(header, component().authservId())) {
            return Outcome.NOTHING;
        }
        // only the header section is rebuilt; the body follows as it is (a spilled message stays on disk)
        MessageBytes.replaceHeader(exchange, AuthenticationResults.rewrite(header, InputStream.nullInputStream(),
                component().authservId(), add ? results : null), header.length);
        return Outcome.NOTHING;
    }

    private void apply(Exchange exchange, CompletableFuture<Outcome> answer) {
        Outcome outcome;
        try {
            outcome = answer.join();
        } catch (RuntimeException e) {
            // the verifiers turn failures into results; this is a bug, and the route's error answer (451) fits it
            LOG.error("mail-auth:{} failed", getEndpoint().getBlock().uriName(), e);
            exchange.setException(e.getCause() != null ? e.getCause() : e);
            return;
        }
        Message message = exchange.getMessage();
        if (outcome.header() != null) {
            message.setHeader(outcome.header(), outcome.value());
        }
        if (!outcome.results().isEmpty()) {
            List<String> results = new ArrayList<>();
            List<?> before = message.getHeader(MailAuthConstants.RESULTS, List.class);
            if (before != null) {
                before.forEach(r -> results.add(String.valueOf(r)));
            }
            results.addAll(outcome.results());
            message.setHeader(MailAuthConstants.RESULTS, results);
        }
        if (outcome.quarantine()) {
            message.setHeader(MailAuthConstants.QUARANTINE, true);
        }
        Findings.record(exchange, outcome.verdict(), getEndpoint().getConfiguration().isReject());
    }

    /** Text from DNS (an explanation, a domain) in our reply. */
    private static String ascii(String text) {
        return dev.mailgateway.mail.Printable.replyText(text, 200);
    }
}
