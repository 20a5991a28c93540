package dev.mailgateway.spool;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleBiFunction;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;

/**
 * How much mail waits where, read from the broker's own statistics when scraped (nothing is browsed):
 * {@code spool_queue_messages{queue=...}} for each mail queue and its dead-letter queue, and, on the embedded
 * broker, {@code spool_scheduled_messages}, the retries the broker's scheduler holds until their time. An external
 * broker is asked through ActiveMQ's statistics plugin (config/activemq.xml has it; see {@link BrokerStatistics}).
 */
final class QueueDepths {

    /** The queues an operator watches: pending delivery, waiting for a retry, held, quarantined, dead letters. */
    private static final List<String> QUEUES = List.of(Queues.RELAY, Queues.RETRY, Queues.RELAY_LARGE, Queues.HOLD,
            Queues.QUARANTINE, Queues.ARCHIVE, Queues.COPIES, "DLQ." + Queues.RELAY, "DLQ." + Queues.RETRY,
            "DLQ." + Queues.RELAY_LARGE, "DLQ." + Queues.ARCHIVE, "DLQ." + Queues.COPIES);
    private static final long SCHEDULED_CACHE_NANOS = 5_000_000_000L;

    private final Supplier<BrokerService> broker;
    private long scheduledAt;
    private double scheduled;

    private QueueDepths(Supplier<BrokerService> broker) {
        this.broker = broker;
    }

    /** The same gauges for an external broker, from its statistics plugin (scheduled mail is not reported). */
    static void registerExternal(MeterRegistry registry, ConnectionFactory factory) {
        registerQueues(registry, new BrokerStatistics(factory), BrokerStatistics::messages);
    }

    /** Gauges hold their object weakly unless told otherwise: nothing else holds these. */
    static void register(MeterRegistry registry, Supplier<BrokerService> broker) {
        QueueDepths depths = new QueueDepths(broker);
        registerQueues(registry, depths, QueueDepths::messages);
        Gauge.builder("spool.scheduled.messages", depths, QueueDepths::scheduled)
                .description("Deferred mail waiting in the broker's scheduler for its next attempt (embedded broker)")
                .strongReference(true).register(registry);
    }

    /** {@code spool_queue_messages{queue=...}} for each watched queue, read from {@code source} when scraped. */
    private static <T> void registerQueues(MeterRegistry registry, T source, ToDoubleBiFunction<T, String> messages) {
        for (String queue : QUEUES) {
            Gauge.builder("spool.queue.messages", source, s -> messages.applyAsDouble(s, queue)).tag("queue", queue)
                    .description("Messages on the queue now").strongReference(true).register(registry);
        }
    }

    private double messages(String queue) {
        BrokerService service = broker.get();
        if (service == null || !service.isStarted()) {
            return Double.NaN;
        }
        try {
            Set<Destination> found = service.getRegionBroker().getDestinations(new ActiveMQQueue(queue));
            return found.stream().mapToLong(d -> d.getDestinationStatistics().getMessages().getCount()).sum();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Listing the scheduler's jobs reads its index: at most once per five seconds, however often it is scraped. */
    private synchronized double scheduled() {
        long now = System.nanoTime();
        if (scheduledAt != 0 && now - scheduledAt < SCHEDULED_CACHE_NANOS) {
            return scheduled;
        }
        BrokerService service = broker.get();
        try {
            scheduled = service == null || !service.isStarted() ? Double.NaN
                    : service.getJobSchedulerStore().getJobScheduler("JMS").getAllJobs().size();
        } catch (Exception e) {
            scheduled = Double.NaN;
        }
        scheduledAt = now;
        return scheduled;
    }
}
