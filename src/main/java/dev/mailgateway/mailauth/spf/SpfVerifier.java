package dev.mailgateway.mailauth.spf;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.spf.SpfResult.Result;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SPF (RFC 7208) of the MAIL FROM and HELO identities, asked through the gateway's one resolver: TXT records only,
 * every mechanism and modifier, macros, the processing limits of §4.6.4. The check is a chain of stages on
 * {@link Dns}: no thread waits for DNS, and a deadline for the whole check (§4.6.4 asks for one; 20 seconds
 * unless told) turns a check still running into a temperror.
 *
 * <p>Stages complete on the resolver's threads: what callers chain on them must not block.
 */
public final class SpfVerifier {

    /** §4.6.4: "Such a limit SHOULD allow at least 20 seconds". */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);
    /** The explanation of a fail whose domain gives none (exp=), as an explanation macro-string (§7). */
    public static final String DEFAULT_EXPLANATION = "%{o} does not designate %{c} as permitted sender";

    private static final Logger LOG = LoggerFactory.getLogger(SpfVerifier.class);

    private final Dns dns;
    private final String receivingHost;
    private final Duration deadline;
    private final MacroString defaultExplanation;
    private final Clock clock;

    /** @param receivingHost our host name, for the %{r} macro */
    public SpfVerifier(Dns dns, String receivingHost) {
        this(dns, receivingHost, DEFAULT_DEADLINE, DEFAULT_EXPLANATION);
    }

    /**
     * @param deadline           how long a whole check may take before it is a temperror
     * @param defaultExplanation the explanation of a fail without one of the domain's, a macro-string as exp=
     *                           text is (%{o}, %{c}, ...)
     * @throws IllegalArgumentException when the deadline is not positive or the explanation not a macro-string
     */
    public SpfVerifier(Dns dns, String receivingHost, Duration deadline, String defaultExplanation) {
        this(dns, receivingHost, deadline, defaultExplanation, Clock.systemUTC());
    }

    SpfVerifier(Dns dns, String receivingHost, Duration deadline, String defaultExplanation, Clock clock) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.receivingHost = receivingHost;
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("SPF deadline must be positive: " + deadline);
        }
        this.deadline = deadline;
        try {
            this.defaultExplanation = MacroString.parse(defaultExplanation, MacroString.Use.EXPLANATION);
        } catch (SpfException e) {
            throw new IllegalArgumentException("default SPF explanation: " + e.getMessage());
        }
        this.clock = clock;
    }

    /**
     * The MAIL FROM identity (RFC 7208 §2.4): sender "local@domain"; a null or empty sender (&lt;&gt;) checks
     * postmaster@&lt;helo&gt; as the HELO identity does (the result still names the identity "mailfrom"). Never
     * completes exceptionally, never blocks.
     *
     * @param sender the reverse-path without its angle brackets (they are taken off if there)
     */
    public CompletionStage<SpfResult> checkMailFrom(InetAddress client, String helo, String sender) {
        String address = sender == null ? "" : sender.strip();
        if (address.startsWith("<") && address.endsWith(">")) {
            address = address.substring(1, address.length() - 1).strip();
        }
        if (address.isEmpty()) {
            return check("mailfrom", client, helo, "postmaster", helo);
        }
        int at = address.lastIndexOf('@'); // a local-part may hold a quoted "@", a domain never does
        String localPart = at < 0 ? "" : address.substring(0, at);
        String domain = at < 0 ? address : address.substring(at + 1);
        return check("mailfrom", client, helo, localPart.isEmpty() ? "postmaster" : localPart, domain); // §4.3
    }

    /**
     * The HELO identity (§2.3): a HELO that is not a valid domain name (an address literal, say) gives NONE. Never
     * completes exceptionally, never blocks.
     */
    public CompletionStage<SpfResult> checkHelo(InetAddress client, String helo) {
        return check("helo", client, helo, "postmaster", helo);
    }

    private CompletionStage<SpfResult> check(String identity, InetAddress client, String helo, String localPart,
                                             String domain) {
        Objects.requireNonNull(client, "client");
        String given = domain == null ? "" : domain;
        String checked = DomainNames.identity(given);
        if (checked == null) { // §4.3: no domain to ask about
            return CompletableFuture.completedFuture(new SpfResult(Result.NONE, identity, given, null, null));
        }
        byte[] ip = IpAddresses.client(client);
        MacroValues values = new MacroValues(localPart + "@" + checked, localPart, checked, checked, ip, null,
                helo == null ? "" : helo, receivingHost, clock.instant().getEpochSecond());
        Evaluation evaluation = new Evaluation(dns, ip);
        CompletableFuture<SpfResult> result = new CompletableFuture<>();
        evaluate(evaluation, values).handle((outcome, failure) -> outcome != null ? outcome
                        : failed(failure)).thenAccept(outcome -> result.complete(
                                new SpfResult(outcome.result(), identity, checked, outcome.explanation(),
                                        outcome.problem())));
        result.completeOnTimeout(new SpfResult(Result.TEMPERROR, identity, checked, null,
                "no result within the deadline of " + deadline.toMillis() + " ms"), deadline.toMillis(),
                TimeUnit.MILLISECONDS);
        result.whenComplete((done, e) -> evaluation.expire()); // a check cut short stops asking
        return result.copy();
    }

    /** The result with, for a fail, its explanation; for an error, its problem. */
    private record Decided(Result result, String explanation, String problem) {
    }

    private CompletionStage<Decided> evaluate(Evaluation evaluation, MacroValues values) {
        try {
            return evaluation.checkHost(values).thenCompose(outcome -> {
                if (outcome.result() != Result.FAIL) {
                    return CompletableFuture.completedFuture(new Decided(outcome.result(), null, null));
                }
                return evaluation.explanation(outcome)
                        .exceptionally(e -> null) // §6.2: trouble with exp= is as if there were none
                        .thenCompose(text -> text != null ? CompletableFuture.completedFuture(text)
                                : evaluation.expand(defaultExplanation, outcome.values()))
                        .exceptionally(e -> defaultExplanation.toString())
                        .thenApply(text -> new Decided(Result.FAIL, text, null));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Decided failed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof SpfException spf) {
            return new Decided(spf.result(), null, spf.getMessage());
        }
        LOG.warn("SPF check failed unexpectedly", cause);
        return new Decided(Result.TEMPERROR, null, "internal error: " + cause);
    }
}
