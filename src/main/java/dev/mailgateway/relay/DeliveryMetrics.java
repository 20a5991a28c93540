package dev.mailgateway.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's meters: each attempt's outcome per recipient, by status and DSN class (the first two parts of the
 * enhanced status code: 2.0, 4.4, 5.1 ...), how long delivered mail waited since it was queued, and the connections
 * opened to next hops with and without TLS.
 */
final class DeliveryMetrics {

    private static final Duration[] DELAY_BUCKETS = {Duration.ofMillis(100), Duration.ofSeconds(1),
        Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
        Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(24), Duration.ofDays(5)};

    private final MeterRegistry registry;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Timer delay;
    private final Counter connectionsTls;
    private final Counter connectionsPlain;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        delay = Timer.builder("relay.delivery.delay")
                .description("From queued (250 to the client) to delivered, per recipient")
                .serviceLevelObjectives(DELAY_BUCKETS).register(registry);
        connectionsTls = connections(registry, true);
        connectionsPlain = connections(registry, false);
    }

    private static Counter connections(MeterRegistry registry, boolean tls) {
        return Counter.builder("relay.connections").tag("tls", String.valueOf(tls))
                .description("Connections opened to next hops, with and without TLS").register(registry);
    }

    void connectionOpened(boolean tls) {
        (tls ? connectionsTls : connectionsPlain).increment();
    }

    /** One attempt's outcomes; {@code queuedAt} in epoch milliseconds. */
    void attempted(List<RecipientOutcome> recipients, long queuedAt) {
        long now = System.currentTimeMillis();
        for (RecipientOutcome outcome : recipients) {
            String status = outcome.status().name().toLowerCase(Locale.ROOT);
            String dsn = dsnClass(outcome.reply());
            outcomes.computeIfAbsent(status + dsn, k -> Counter.builder("relay.recipients").tag("status", status)
                    .tag("dsn_class", dsn).description("Recipients per delivery attempt, by outcome and DSN class")
                    .register(registry)).increment();
            if (outcome.status() == RecipientOutcome.Status.DELIVERED) {
                delay.record(Duration.ofMillis(Math.max(0, now - queuedAt)));
            }
        }
    }

    /** "5.1" of 5.1.1; from the reply code when the next hop gave no enhanced code. */
    static String dsnClass(RemoteReply reply) {
        if (reply == null) {
            return "none";
        }
        String status = reply.dsnStatus();
        return status.substring(0, status.indexOf('.', status.indexOf('.') + 1));
    }
}
