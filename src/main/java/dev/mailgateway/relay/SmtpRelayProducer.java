package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.ops.GatewayMetrics;
import dev.mailgateway.spool.SpoolEnvelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one spooled message: recipients grouped by next hop, one attempt each, and every recipient's outcome
 * in {@link SmtpRelayConstants#OUTCOMES}. SMTP replies are outcomes, not exceptions: the route decides what to do
 * with deferred and failed recipients. Blocks the calling thread (a JMS consumer) while it talks to next hops.
 */
public class SmtpRelayProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpRelayProducer.class);

    private ConnectionPool pool;
    private DeliveryMetrics metrics;
    private Delivery delivery;
    private NextHopRouting routing;
    private ScheduledExecutorService janitor;
    private PostmasterBox postmaster;

    public SmtpRelayProducer(SmtpRelayEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public SmtpRelayEndpoint getEndpoint() {
        return (SmtpRelayEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SmtpRelayConfiguration config = getEndpoint().getConfiguration();
        RelaySettings settings = RelaySettings.of(config, getEndpoint().getCamelContext());
        routing = NextHopRouting.of(config, settings.heloName(), getEndpoint().getCamelContext());
        metrics = new DeliveryMetrics(GatewayMetrics.registry(getEndpoint().getCamelContext()));
        pool = new ConnectionPool(settings, metrics);
        delivery = new Delivery(pool, new SuspendedHops(config.getSuspendAfterFailures(), config.getSuspendTime()),
                settings);
        if (config.getPostmasterDirectory() != null && !config.getPostmasterDirectory().isBlank()) {
            postmaster = new PostmasterBox(settings.heloName(), java.nio.file.Path.of(config.getPostmasterDirectory()));
        }
        janitor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "smtp-relay-idle");
        long period = Math.max(1, config.getIdleTimeout().toSeconds());
        janitor.scheduleWithFixedDelay(() -> pool.closeIdle(config.getIdleTimeout()), period, period, TimeUnit.SECONDS);
    }

    /** Tests put a resolver of their own here, one that fails as no DNS answer can make ours fail. */
    void resolveMxWith(java.util.function.Function<String, MxResolver.Answer> resolver) {
        routing.resolveMxWith(resolver);
    }

    @Override
    protected void doStop() throws Exception {
        if (janitor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(janitor);
        }
        if (pool != null) {
            pool.close();
            // stops after the queue consumers that feed it (routes stop in reverse startup order): the last delivery
            // is done when this line is logged
            LOG.info("relay stopped: deliveries finished, connections to next hops closed");
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RelayMessage message = RelayMessage.from(exchange);
        int hops = message.hops();
        if (hops > getEndpoint().getConfiguration().getMaxHops()) {
            // a mail loop (two gateways, or a gateway and a mail system, sending it back and forth): stop it here
            RemoteReply loop = OutboundConnection.local(554, "5.4.6", "mail forwarding loop: too many hops (" + hops + ")");
            finish(exchange, message.recipients().stream().map(r -> RecipientOutcome.of(r, null, loop)).toList());
            return;
        }
        Map<String, List<MailAddress>> byDomain = new LinkedHashMap<>();
        List<MailAddress> forPostmaster = new ArrayList<>();
        for (MailAddress recipient : message.recipients()) {
            if (postmaster != null && postmaster.isFor(recipient)) {
                forPostmaster.add(recipient);
            } else {
                byDomain.computeIfAbsent(recipient.domainKey(), d -> new ArrayList<>()).add(recipient);
            }
        }
        List<RecipientOutcome> outcomes = new ArrayList<>();
        if (!forPostmaster.isEmpty()) {
            outcomes.addAll(postmaster.deliver(message, forPostmaster));
        }
        // domains with the same next hops (the smarthost, say) share one delivery, and so their transactions
        Map<List<NextHop>, List<MailAddress>> byRoute = new LinkedHashMap<>();
        for (Map.Entry<String, List<MailAddress>> domain : byDomain.entrySet()) {
            NextHopRouting.Route route;
            try {
                route = routing.route(domain.getKey());
            } catch (RuntimeException e) {
                route = NextHopRouting.Route.failed(
                        internalError(message, "finding the next hop for " + domain.getKey(), e));
            }
            if (route.failure() != null) {
                for (MailAddress recipient : domain.getValue()) {
                    outcomes.add(RecipientOutcome.of(recipient, null, route.failure()));
                }
            } else {
                byRoute.computeIfAbsent(route.candidates(), r -> new ArrayList<>()).addAll(domain.getValue());
            }
        }
        for (Map.Entry<List<NextHop>, List<MailAddress>> group : byRoute.entrySet()) {
            try {
                outcomes.addAll(delivery.deliver(group.getKey(), message, group.getValue()));
            } catch (RuntimeException e) {
                // an outcome, not an exception: the other groups' outcomes (some delivered, maybe) must stand
                RemoteReply error = internalError(message, "delivering to " + group.getKey(), e);
                group.getValue().forEach(r -> outcomes.add(RecipientOutcome.of(r, null, error)));
            }
        }
        finish(exchange, outcomes);
    }

    /** A bug or a surprise on the way: those recipients are deferred (tried again), never resent to the others. */
    private static RemoteReply internalError(RelayMessage message, String doing, RuntimeException e) {
        LOG.error("{}: internal error {}", message.queueId(), doing, e);
        return OutboundConnection.local(451, "4.3.0", "internal error " + doing + ": " + e);
    }

    private void finish(Exchange exchange, List<RecipientOutcome> outcomes) {
        metrics.attempted(outcomes, exchange.getMessage().getHeader(SpoolEnvelope.QUEUED_AT,
                System.currentTimeMillis(), Long.class));
        exchange.getMessage().setHeader(SmtpRelayConstants.OUTCOMES, outcomes);
        exchange.getMessage().setHeader(SmtpRelayConstants.DELIVERED, count(outcomes, RecipientOutcome.Status.DELIVERED));
        exchange.getMessage().setHeader(SmtpRelayConstants.DEFERRED, count(outcomes, RecipientOutcome.Status.DEFERRED));
        exchange.getMessage().setHeader(SmtpRelayConstants.FAILED, count(outcomes, RecipientOutcome.Status.FAILED));
    }

    private static int count(List<RecipientOutcome> outcomes, RecipientOutcome.Status status) {
        return (int) outcomes.stream().filter(o -> o.status() == status).count();
    }
}
