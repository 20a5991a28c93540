package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.smtpd.ReplyReasons;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One listener's meters: sessions, replies by class and reason, messages by outcome, accepted bytes and the time
 * from the end of DATA to the reply. Meters of the common replies are made once; a refusal looks its meter up
 * (refusals are the rare case, and their reasons are a short fixed list: {@link ReplyReasons}).
 */
public final class ListenerMetrics {

    /** Outcome of a message the client finished sending. */
    public enum Outcome { ACCEPTED, QUARANTINED, REFUSED, TEMPFAILED }

    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final String listener;
    private final AtomicInteger open = new AtomicInteger();
    private final Gauge openGauge;
    private final Counter sessions;
    private final Counter positive2xx;
    private final Counter positive3xx;
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> messages = new ConcurrentHashMap<>();
    private final Counter acceptedBytes;
    private final Timer acceptLatency;

    public ListenerMetrics(MeterRegistry registry, String listener) {
        this.registry = registry;
        this.listener = listener;
        openGauge = Gauge.builder("smtpd.sessions.open", open, AtomicInteger::get).tag("listener", listener)
                .description("SMTP sessions open now").register(registry);
        sessions = Counter.builder("smtpd.sessions").tag("listener", listener)
                .description("SMTP sessions since start (refused connections included)").register(registry);
        positive2xx = reply("2xx", "ok");
        positive3xx = reply("3xx", "ok");
        acceptedBytes = Counter.builder("smtpd.accepted.bytes").tag("listener", listener)
                .description("Size of the messages accepted (250), quarantined ones included").register(registry);
        acceptLatency = Timer.builder("smtpd.accept.latency").tag("listener", listener)
                .description("From the end of the message data to the reply (the route: checks, filters, spool)")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    /** The listener stopped: its gauge goes (a restarted listener registers a new one); counters stay. */
    public void close() {
        registry.remove(openGauge);
    }

    void sessionOpened() {
        open.incrementAndGet();
        sessions.increment();
    }

    void sessionClosed() {
        open.decrementAndGet();
    }

    /** A connection refused before it became a session (limits, draining): counted, and its reply. */
    void connectionRefused(SmtpReply reply) {
        sessions.increment();
        replied(reply);
    }

    void replied(SmtpReply reply) {
        int code = reply.code();
        if (code < 300) {
            positive2xx.increment();
        } else if (code < 400) {
            positive3xx.increment();
        } else {
            String kind = code < 500 ? "4xx" : "5xx";
            String reason = ReplyReasons.of(reply);
            refusals.computeIfAbsent(kind + reason, k -> reply(kind, reason)).increment();
        }
    }

    /** The end of one message: its reply came {@code nanos} after its data ended. */
    public void message(Outcome outcome, boolean tls, long size, long nanos) {
        String key = outcome.name() + tls;
        messages.computeIfAbsent(key, k -> Counter.builder("smtpd.messages").tag("listener", listener)
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).tag("tls", String.valueOf(tls))
                .description("Messages whose data ended, by the reply they got").register(registry)).increment();
        if (outcome == Outcome.ACCEPTED || outcome == Outcome.QUARANTINED) {
            acceptedBytes.increment(size);
        }
        acceptLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter reply(String kind, String reason) {
        return Counter.builder("smtpd.replies").tag("listener", listener).tag("class", kind).tag("reason", reason)
                .description("Replies by class, and for 4xx/5xx by reason").register(registry);
    }
}
