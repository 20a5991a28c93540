package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Delivers one spooled message: recipients grouped by next hop, one attempt each, and every recipient's outcome
 * in {@link SmtpRelayConstants#OUTCOMES}. SMTP replies are outcomes, not exceptions: the route decides what to do
 * with deferred and failed recipients. Blocks the calling thread (a JMS consumer) while it talks to next hops.
 */
public class SmtpRelayProducer extends DefaultProducer {

    private ConnectionPool pool;
    private Delivery delivery;
    private NextHops nextHops;
    private ScheduledExecutorService janitor;

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
        RelaySettings settings = new RelaySettings(heloName(config), config.getMaxRecipients(),
                config.getMaxConnectionsPerDestination(), config.getMaxReuse(), config.getIdleTimeout(),
                config.getConnectTimeout(), config.getCommandTimeout(), config.getDataTimeout(),
                RelaySettings.unverifiedTls(), config.getTlsProtocols().split("\\s*,\\s*"));
        nextHops = NextHops.of(config.getTransportMap(), config.getSmarthost(), config.getSmarthostUsername(),
                config.getSmarthostPassword(), config.getSmarthostTls(), config.getTls(), config.getTlsPolicies());
        pool = new ConnectionPool(settings);
        delivery = new Delivery(pool, settings);
        janitor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "smtp-relay-idle");
        long period = Math.max(1, config.getIdleTimeout().toSeconds());
        janitor.scheduleWithFixedDelay(() -> pool.closeIdle(config.getIdleTimeout()), period, period, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (janitor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(janitor);
        }
        if (pool != null) {
            pool.closeIdle(Duration.ZERO);
        }
        super.doStop();
    }

    private static String heloName(SmtpRelayConfiguration config) {
        if (config.getHeloName() != null && !config.getHeloName().isBlank()) {
            return config.getHeloName().strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RelayMessage message = RelayMessage.from(exchange);
        Map<NextHop, List<MailAddress>> byHop = new LinkedHashMap<>();
        List<RecipientOutcome> outcomes = new ArrayList<>();
        for (MailAddress recipient : message.recipients()) {
            Optional<NextHop> hop = nextHops.forDomain(recipient.domainKey());
            if (hop.isPresent()) {
                byHop.computeIfAbsent(hop.get(), h -> new ArrayList<>()).add(recipient);
            } else {
                outcomes.add(new RecipientOutcome(recipient, RecipientOutcome.Status.DEFERRED, null,
                        OutboundConnection.local(451, "4.4.3", "no next hop for " + recipient.domain())));
            }
        }
        for (Map.Entry<NextHop, List<MailAddress>> group : byHop.entrySet()) {
            outcomes.addAll(delivery.deliver(group.getKey(), message, group.getValue()));
        }
        exchange.getMessage().setHeader(SmtpRelayConstants.OUTCOMES, outcomes);
        exchange.getMessage().setHeader(SmtpRelayConstants.DELIVERED, count(outcomes, RecipientOutcome.Status.DELIVERED));
        exchange.getMessage().setHeader(SmtpRelayConstants.DEFERRED, count(outcomes, RecipientOutcome.Status.DEFERRED));
        exchange.getMessage().setHeader(SmtpRelayConstants.FAILED, count(outcomes, RecipientOutcome.Status.FAILED));
    }

    private static int count(List<RecipientOutcome> outcomes, RecipientOutcome.Status status) {
        return (int) outcomes.stream().filter(o -> o.status() == status).count();
    }
}
