package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.Printable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipient verification through the relay, as Postfix's {@code reject_unverified_recipient} with verify(8): does
 * the next hop that delivery would use take this recipient? A policy check asks at RCPT time, so that a gateway in
 * front of Exchange or Domino refuses mail for users that do not exist there instead of taking it and then
 * bouncing it to a sender who may be forged (backscatter).
 *
 * <p>A probe is a delivery without the message: the same next hops in the same order ({@link NextHopRouting}), the
 * same TLS policy and smarthost AUTH, then {@code MAIL FROM:<>}, {@code RCPT TO}, {@code RSET}, {@code QUIT}. The
 * reply to RCPT is the answer. Only that reply can be a 5xx: whatever else goes wrong (no next hop answers, a 4xx
 * or 5xx greeting, MAIL FROM:<> refused, TLS required and not offered, no answer within the verify timeout) is a
 * 450, "not known", which the client tries again later; mail is never refused for a reason that is not the
 * recipient's.
 *
 * <p>{@link #probe} never blocks: conversations run on a few threads of their own behind a short queue, and a full
 * queue is answered 450 at once. Every probe has a deadline from the moment it is asked: then it is answered 450
 * and its connection closed, so a tarpit holds a thread for the verify timeout at most (an MX lookup cannot be cut
 * short: it holds the thread up to its DNS timeouts, the answer still comes on time). Concurrent probes of one
 * address share one conversation.
 *
 * <p>Each conversation has a fresh connection of its own, outside the delivery connection pool: a probe never takes
 * one of the places deliveries wait for, and never hands delivery a connection in a state it did not leave it in.
 * What bounds the connections probes add at a next hop is the number of threads. Probes are not delivery
 * attempts: their failures never suspend a next hop ({@link SuspendedHops}), or anyone who can send RCPT commands
 * could have our mail to it deferred.
 */
public final class RecipientProbe extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientProbe.class);

    /** Conversations at once: each holds a thread and a connection, for the verify timeout at most. */
    static final int THREADS = 4;
    /** Probes waiting for a thread; each waits the verify timeout at most, answered then whether it ran or not. */
    static final int QUEUE = 100;

    private final SmtpRelayConfiguration config;
    private final CamelContext context;
    private final int threads;
    private final int queue;
    /** Probes under way, by address: another probe of the same address gets the first one's answer. */
    private final Map<MailAddress, CompletableFuture<RemoteReply>> underWay = new ConcurrentHashMap<>();
    /** Conversations queued or running: stopping ends them all. */
    private final Set<Conversation> conversations = ConcurrentHashMap.newKeySet();
    private RelaySettings settings;
    private NextHopRouting routing;
    private PostmasterBox postmaster;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService deadlines;

    RecipientProbe(SmtpRelayConfiguration config, CamelContext context) {
        this(config, context, THREADS, QUEUE);
    }

    RecipientProbe(SmtpRelayConfiguration config, CamelContext context, int threads, int queue) {
        this.config = config;
        this.context = context;
        this.threads = threads;
        this.queue = queue;
    }

    @Override
    protected void doStart() throws Exception {
        settings = RelaySettings.of(config, context);
        routing = NextHopRouting.of(config, settings.heloName(), context);
        if (config.getPostmasterDirectory() != null && !config.getPostmasterDirectory().isBlank()) {
            postmaster = new PostmasterBox(settings.heloName(), Path.of(config.getPostmasterDirectory()));
        }
        workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> context.getExecutorServiceManager().newThread("smtp-relay-verify", r));
        workers.allowCoreThreadTimeOut(true); // most gateways never verify: no threads kept for nothing
        deadlines = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "smtp-relay-verify-deadline");
    }

    @Override
    protected void doStop() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (deadlines != null) {
            context.getExecutorServiceManager().shutdownNow(deadlines);
        }
        // socket reads ignore interrupts: closing the connections is what ends the conversations
        for (Conversation conversation : conversations) {
            conversation.end(unknown("4.3.2", "the relay is stopping"));
        }
    }

    /**
     * Whether the next hop takes {@code recipient}: its reply to RCPT (2xx yes, 5xx no, 4xx not now), or a 450 of
     * our own when we could not find out. Never blocks, never completes exceptionally. The answer may complete on
     * one of the probe's threads: callers that do more than hand it on should continue with an async method.
     */
    public CompletionStage<RemoteReply> probe(MailAddress recipient) {
        CompletableFuture<RemoteReply> answer = new CompletableFuture<>();
        CompletableFuture<RemoteReply> shared = underWay.putIfAbsent(recipient, answer);
        if (shared != null) {
            return shared.minimalCompletionStage();
        }
        answer.whenComplete((reply, error) -> underWay.remove(recipient, answer));
        Conversation conversation = new Conversation(recipient, answer);
        conversations.add(conversation);
        try {
            if (!isStarted()) {
                throw new RejectedExecutionException("not started");
            }
            conversation.deadline = deadlines.schedule(conversation::expire, config.getVerifyTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
            workers.execute(conversation);
        } catch (RejectedExecutionException e) {
            conversation.end(isStarted() ? unknown("4.4.5", "too many recipient verifications at once")
                    : unknown("4.3.2", "the relay is stopping"));
        }
        return answer.minimalCompletionStage(); // the caller cannot complete it for the others who share it
    }

    /** We could not find out: 450, whatever went wrong (a 5xx here is about a next hop, never the recipient). */
    private static RemoteReply unknown(String status, String why) {
        return OutboundConnection.local(450, "4" + status.substring(1), "recipient not verified: " + why);
    }

    /** One probe: its answer, the connection it talks on, the deadline that ends it. */
    private final class Conversation implements Runnable {

        private final MailAddress recipient;
        private final CompletableFuture<RemoteReply> answer;
        private final long asked = System.nanoTime();
        private volatile ScheduledFuture<?> deadline;
        private volatile boolean over;
        private volatile OutboundConnection connection;
        private volatile NextHop hop;

        Conversation(MailAddress recipient, CompletableFuture<RemoteReply> answer) {
            this.recipient = recipient;
            this.answer = answer;
        }

        @Override
        public void run() {
            try {
                if (!over) {
                    converse();
                }
            } catch (RuntimeException e) {
                if (!over) { // once over (stopped, expired), whatever broke is the closing, not a bug
                    LOG.error("internal error verifying <{}>", Printable.escape(recipient.toString()), e);
                }
                answer(OutboundConnection.local(451, "4.3.0", "internal error verifying the recipient: " + e));
            } finally {
                end(unknown("4.3.0", "the conversation ended without an answer")); // never the case, never hangs
            }
        }

        private void converse() {
            if (postmaster != null && postmaster.isFor(recipient)) { // delivery keeps it here, never asks a next hop
                answer(OutboundConnection.local(250, "2.1.5", "kept by this gateway for its postmaster"));
                return;
            }
            NextHopRouting.Route route = routing.route(recipient.domainKey());
            if (route.failure() != null) {
                answer(unknown(route.failure().dsnStatus(), route.failure().text()));
                return;
            }
            RemoteReply last = OutboundConnection.local(451, "4.4.3", "no next hop to try");
            for (NextHop candidate : route.candidates()) {
                if (over) {
                    return;
                }
                hop = candidate;
                OutboundConnection opened;
                try {
                    opened = OutboundConnection.open(candidate, settings, this::watch);
                } catch (RelayException e) {
                    last = e.reply(); // as delivery: on to the next candidate (and no suspension counted)
                    continue;
                }
                talk(opened);
                return;
            }
            answer(unknown(last.dsnStatus(), last.text()));
        }

        /** The answer as soon as RCPT has one; RSET and QUIT after, while the caller goes on. */
        private void talk(OutboundConnection opened) {
            try {
                answer(ask(opened));
                opened.reset();
                opened.quitQuietly();
            } catch (IOException e) {
                answer(unknown("4.4.2", "lost connection with " + hop + ": " + e.getMessage()));
                opened.close();
            }
        }

        private RemoteReply ask(OutboundConnection opened) throws IOException {
            boolean utf8 = recipient.isUtf8();
            if (utf8 && !opened.has("SMTPUTF8")) {
                return unknown("4.6.7", hop + " does not offer SMTPUTF8, which the address needs");
            }
            List<RemoteReply> replies = opened.envelope(utf8 ? "MAIL FROM:<> SMTPUTF8" : "MAIL FROM:<>",
                    List.of(recipient));
            RemoteReply mail = replies.get(0);
            RemoteReply rcpt = replies.get(1);
            if (!mail.isPositive()) {
                // about the next hop and the null sender, not the recipient: some servers refuse <> outright
                return unknown(mail.dsnStatus(), hop + (mail.isPermanent() ? " refuses the null sender"
                        + " (MAIL FROM:<>): " : " did not take MAIL FROM:<>: ") + mail);
            }
            if (rcpt.isPositive() || rcpt.isPermanent() || rcpt.code() >= 400 && rcpt.code() != 421) {
                return rcpt;
            }
            // a 421 says the next hop is closing its session, which our client would take for ours; or out of step
            return unknown(rcpt.dsnStatus(), hop + " answered RCPT with " + rcpt);
        }

        /** Each connection as it is made: one the deadline has passed for is closed at once. */
        private void watch(OutboundConnection opening) {
            connection = opening;
            if (over) {
                opening.close();
            }
        }

        private void expire() {
            NextHop at = hop;
            Duration limit = config.getVerifyTimeout();
            end(unknown("4.4.2", "no answer" + (at == null ? "" : " from " + at) + " within "
                    + (limit.toMillis() % 1000 == 0 ? limit.toSeconds() + "s" : limit.toMillis() + "ms")));
        }

        /** Over, whatever it was doing: its connection closed, and the answer given (when it was not yet). */
        void end(RemoteReply reply) {
            over = true;
            // the answer before the closing: closing makes the conversation's thread fail (a connect in progress
            // reads as "connect failed"), and that must not get in first with an answer of its own
            answer(reply);
            OutboundConnection open = connection;
            if (open != null) {
                open.close(); // a read or write under way on the conversation's thread fails at once
            }
            ScheduledFuture<?> timer = deadline;
            if (timer != null) {
                timer.cancel(false);
            }
            conversations.remove(this);
        }

        private void answer(RemoteReply reply) {
            if (answer.complete(reply)) {
                NextHop at = hop;
                String status = reply.isPositive() ? "deliverable" : reply.isPermanent() ? "undeliverable" : "unknown";
                double delay = (System.nanoTime() - asked) / 1e9;
                LOG.info("verify to=<{}>, relay={}, delay={}s, dsn={}, status={} ({})",
                        Printable.escape(recipient.toString()), at == null ? "none" : at.label(),
                        String.format(Locale.ROOT, "%.2f", delay), reply.dsnStatus(), status,
                        Printable.escape(reply.toString()));
            }
        }
    }
}
