package dev.mailgateway.spool;

import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import dev.mailgateway.files.OwnerOnly;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.SimpleAuthenticationPlugin;
import org.apache.activemq.broker.region.DestinationInterceptor;
import org.apache.activemq.broker.region.policy.IndividualDeadLetterStrategy;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.broker.region.virtual.CompositeQueue;
import org.apache.activemq.broker.region.virtual.FilteredDestination;
import org.apache.activemq.broker.region.virtual.VirtualDestination;
import org.apache.activemq.broker.region.virtual.VirtualDestinationInterceptor;
import org.apache.activemq.broker.region.virtual.VirtualTopic;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.filter.MessageEvaluationContext;
import org.apache.activemq.filter.NonCachedMessageEvaluationContext;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process ActiveMQ broker used when no external one is configured: KahaDB under the data directory, every
 * send and commit synced to disk, scheduler support on (deferred mail waits in its store), the spool composite
 * queue, per-queue dead-letter queues, a user and password on every connector. A Camel service: it starts before
 * the routes and stops after them.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String LISTEN = "listen";
    /** Memory each event consumer queue may hold before its events go to the temporary store. */
    static final long EVENT_QUEUE_MEMORY = 8L * 1024 * 1024;

    private final SpoolSettings settings;
    private BrokerService broker;
    private URI listening;

    public EmbeddedBroker(SpoolSettings settings) {
        this.settings = settings;
    }

    /**
     * The broker's name, from its store: unique per data directory, so gateways (or tests) with stores of their
     * own never share an in-VM broker by mistake.
     */
    public static String name(SpoolSettings settings) {
        return "mail-gateway-" + Integer.toHexString(settings.dataDirectory().toAbsolutePath().normalize().hashCode());
    }

    /** The client URL for this JVM: in-VM, synchronous dispatch, never creating a second broker by accident. */
    public static String vmUrl(SpoolSettings settings) {
        return "vm://" + name(settings) + "?create=false&async=false";
    }

    /** The running broker, or null before start and after stop. */
    BrokerService broker() {
        return broker;
    }

    @Override
    protected void doStart() throws Exception {
        broker = configure(new BrokerService(), settings, name(settings));
        // the queue tools (java -jar mail-gateway.jar queue ...) reach this broker on loopback, with the
        // credentials in admin.properties, readable only by the gateway's user; like every connector, it asks for them
        TransportConnector admin = broker.addConnector("tcp://127.0.0.1:0");
        // The store holds every message whole: owner-only before KahaDB opens it. Files from earlier runs become
        // 0600; those KahaDB creates from now on get the umask's 0644 (Java cannot set the umask), so the 0700
        // directories are what keeps other users out of them.
        OwnerOnly.tree(settings.dataDirectory(), Integer.MAX_VALUE);
        OwnerOnly.directory(((KahaDBPersistenceAdapter) broker.getPersistenceAdapter()).getDirectory().toPath());
        OwnerOnly.directory(broker.getSchedulerDirectoryFile().toPath());
        broker.start();
        broker.waitUntilStarted();
        AdminAccess.write(settings.dataDirectory(), admin.getConnectUri().toString(), settings.username(),
                settings.password());
        TransportConnector listen = broker.getConnectorByName(LISTEN);
        if (listen != null) {
            listening = listen.getConnectUri();
            LOG.info("embedded ActiveMQ broker listening for other gateways on {} (user {})", listening,
                    settings.username());
        }
        LOG.info("embedded ActiveMQ broker started: {}, memory for messages {} MB", settings.dataDirectory(),
                settings.memoryLimit() / (1024 * 1024));
    }

    /**
     * A broker as the gateway needs it (also what a test's stand-alone broker is made of): persistent, synced,
     * scheduler on, the spool fan-out, per-queue dead-letter queues, a user and password on every connector.
     */
    public static BrokerService configure(BrokerService service, SpoolSettings settings, String name) throws Exception {
        service.setBrokerName(name);
        service.setDataDirectoryFile(settings.dataDirectory().toFile());
        service.setPersistent(true);
        service.setSchedulerSupport(true);
        service.setUseJmx(false);
        service.setAdvisorySupport(false);
        service.setUseShutdownHook(false); // the Camel context stops it, after the routes
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(settings.dataDirectory().resolve("kahadb").toFile());
        // stores and dispatch in one pass: measured faster here (see ../shared/notes); journal sync stays on
        kahaDb.setConcurrentStoreAndDispatchQueues(false);
        service.setPersistenceAdapter(kahaDb);
        service.getSystemUsage().getMemoryUsage().setLimit(settings.memoryLimit());
        // the disk is the limit: nine tenths of what is free at start (ActiveMQ's 100 GB default is a guess)
        // a full store fails the send at once (the client hears 451) instead of blocking it
        service.getSystemUsage().setSendFailIfNoSpace(true);
        long usable = settings.dataDirectory().toFile().getAbsoluteFile().getParentFile().getUsableSpace();
        if (usable > 0) {
            service.getSystemUsage().getStoreUsage().setLimit(usable / 10 * 9);
            service.getSystemUsage().getTempUsage().setLimit(usable / 10);
        }
        service.setDestinationPolicy(policies());
        service.setDestinationInterceptors(new DestinationInterceptor[] {spoolFanOut()});
        service.setDestinations(Queues.DELIVERY.stream().map(ActiveMQQueue::new).toArray(ActiveMQDestination[]::new));
        if (settings.embeddedListen() != null && !settings.embeddedListen().isBlank()) {
            service.addConnector(settings.embeddedListen()).setName(LISTEN);
        }
        // One user on every connector (in-JVM, loopback, listen): a blank name or password is refused here, never
        // taken to mean "no authentication" (SpoolSettings.withEmbeddedCredentials fills them in or refuses)
        if (isBlank(settings.username()) || isBlank(settings.password())) {
            throw new IllegalArgumentException("the broker needs a user name and a password: anonymous access is "
                    + "never allowed");
        }
        SimpleAuthenticationPlugin authentication = new SimpleAuthenticationPlugin(List.of(
                new AuthenticationUser(settings.username(), settings.password(), "gateway")));
        authentication.setAnonymousAccessAllowed(false);
        // the statistics plugin answers the queue depths a gateway on this broker as an external one asks for
        // (BrokerStatistics); config/activemq.xml has it too
        service.setPlugins(new BrokerPlugin[] {authentication, new StatisticsBrokerPlugin()});
        return service;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Where other gateways reach this broker ({@code gateway.broker.listen}, its port bound); null: nowhere. */
    public URI listenUri() {
        return listening;
    }

    @Override
    protected void doStop() throws Exception {
        AdminAccess.remove(settings.dataDirectory());
        if (broker != null) {
            broker.stop();
            broker.waitUntilStopped();
            broker = null;
            listening = null;
            LOG.info("embedded ActiveMQ broker stopped");
        }
    }

    /**
     * mail.spool forwards, within the send, by the properties the spool step set ({@link SpoolEnvelope}): to
     * mail.relay or mail.relay.large, or to mail.quarantine when quarantined; to mail.archive when the gateway
     * archives; to mail.copies when a route asked for copies (never of quarantined mail). Mail events go to the virtual topic VirtualTopic.mail.events, fanned out to every
     * {@code Consumer.<name>.VirtualTopic.mail.events} queue; a consumer queue that is full (its consumer gone for
     * long) loses its events, never the others' and never the publisher's time (dropOnResourceLimit).
     * config/activemq.xml says the same for an external broker. (Setting interceptors replaces ActiveMQ's default
     * one, which is what made virtual topics work by default: hence the explicit one here.)
     */
    /** Mail spooled by a gateway from before SpoolQuarantine has no such property: delivered, as it was then. */
    private static final String NOT_QUARANTINED = "(" + SpoolEnvelope.QUARANTINE + " IS NULL OR "
            + SpoolEnvelope.QUARANTINE + " = FALSE)";

    static VirtualDestinationInterceptor spoolFanOut() throws InvalidSelectorException {
        VirtualTopic events = new VirtualTopic();
        events.setName("VirtualTopic.>");
        events.setPrefix("Consumer.*.");
        events.setDropOnResourceLimit(true);
        VirtualDestinationInterceptor interceptor = new VirtualDestinationInterceptor();
        interceptor.setVirtualDestinations(new VirtualDestination[] {spool(), events});
        return interceptor;
    }

    /**
     * The queues the spool would forward a message with these properties to, by the same selectors the broker
     * applies (for explain, which sends nothing): mail.relay, mail.relay.large or mail.quarantine first, then
     * mail.archive and mail.copies when marked. Values JMS cannot carry are left out, as camel-jms leaves them.
     */
    public static List<String> forwardedTo(Map<String, Object> properties) {
        try {
            ActiveMQMessage message = new ActiveMQMessage();
            for (Map.Entry<String, Object> property : properties.entrySet()) {
                Object value = property.getValue();
                if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                    try {
                        message.setObjectProperty(property.getKey(), value);
                    } catch (JMSException | RuntimeException notAProperty) {
                        // a name JMS does not take: camel-jms would not send it either
                    }
                }
            }
            MessageEvaluationContext context = new NonCachedMessageEvaluationContext();
            context.setMessageReference(message);
            List<String> queues = new ArrayList<>();
            for (Object target : spool().getForwardTo()) {
                FilteredDestination filtered = (FilteredDestination) target;
                if (filtered.matches(context)) {
                    queues.add(filtered.getDestination().getPhysicalName());
                }
            }
            return queues;
        } catch (JMSException e) {
            throw new IllegalStateException("the spool's selectors cannot be evaluated", e);
        }
    }

    private static CompositeQueue spool() throws InvalidSelectorException {
        CompositeQueue spool = new CompositeQueue();
        spool.setName(Queues.SPOOL);
        spool.setForwardOnly(true);
        spool.setForwardTo(List.of(
                filtered(Queues.RELAY, "(" + SpoolEnvelope.LARGE + " IS NULL OR " + SpoolEnvelope.LARGE + " = FALSE) AND "
                        + NOT_QUARANTINED),
                filtered(Queues.RELAY_LARGE, SpoolEnvelope.LARGE + " = TRUE AND " + NOT_QUARANTINED),
                filtered(Queues.QUARANTINE, SpoolEnvelope.QUARANTINE + " = TRUE"),
                filtered(Queues.ARCHIVE, SpoolEnvelope.ARCHIVE + " = TRUE"),
                filtered(Queues.COPIES, SpoolEnvelope.COPIES + " IS NOT NULL AND " + NOT_QUARANTINED)));
        return spool;
    }

    private static FilteredDestination filtered(String queue, String selector) throws InvalidSelectorException {
        FilteredDestination destination = new FilteredDestination();
        destination.setQueue(queue);
        destination.setSelector(selector);
        return destination;
    }

    /** Each mail queue has its own dead-letter queue, DLQ.mail.relay and so on, kept persistent. */
    private static PolicyMap policies() {
        IndividualDeadLetterStrategy deadLetters = new IndividualDeadLetterStrategy();
        deadLetters.setQueuePrefix("DLQ.");
        deadLetters.setUseQueueForQueueMessages(true);
        deadLetters.setProcessNonPersistent(false);
        PolicyEntry mail = new PolicyEntry();
        mail.setQueue("mail.>");
        mail.setDeadLetterStrategy(deadLetters);
        // Persistent mail waits in KahaDB, not memory (the store cursor pages), and the gateway's own byte budget
        // bounds what is in flight; flow control would only make a queue without consumers (mail.relay while no
        // relay runs) stall every send until its timeout.
        mail.setProducerFlowControl(false);
        // The large-message lane pages in only what its consumers take now (each message is megabytes in memory);
        // the broker's memory limit carries a share for those (GatewayMain.memoryLimit), so they never fill it and
        // stop the cursors of the other queues.
        PolicyEntry large = new PolicyEntry();
        large.setQueue(Queues.RELAY_LARGE);
        large.setDeadLetterStrategy(deadLetters);
        large.setProducerFlowControl(false);
        large.setLazyDispatch(true);
        large.setMaxPageSize(4);
        large.setUseCache(false);
        // Copy queues (any name a route gives mail-event:copy): a copy queue without a consumer fills on disk
        // and never stalls the copies route (which would hold up nothing else, but copies would stop)
        PolicyEntry anyQueue = new PolicyEntry();
        anyQueue.setQueue(">");
        anyQueue.setProducerFlowControl(false);
        // Event consumer queues: events are non-persistent, so a queue whose consumer is slow or gone holds a few
        // megabytes in memory and the rest in the temporary store, never the broker's memory for mail; the
        // publisher is never slowed (full: the virtual topic drops that queue's events, dropOnResourceLimit)
        PolicyEntry eventQueues = new PolicyEntry();
        eventQueues.setQueue("Consumer.*.VirtualTopic.>");
        eventQueues.setProducerFlowControl(false);
        eventQueues.setMemoryLimit(EVENT_QUEUE_MEMORY);
        // dispatch to the consumer in the sending thread when it can take the event, instead of waking a task
        // thread per event: the virtual topic's forward is the publisher's send
        eventQueues.setOptimizedDispatch(true);
        PolicyEntry eventTopics = new PolicyEntry();
        eventTopics.setTopic("VirtualTopic.>");
        eventTopics.setProducerFlowControl(false);
        PolicyMap map = new PolicyMap();
        map.setPolicyEntries(List.of(anyQueue, mail, large, eventQueues, eventTopics));
        return map;
    }
}
