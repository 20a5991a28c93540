package dev.mailgateway.smtpd;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.DomainList;
import dev.mailgateway.policy.NetworkList;
import dev.mailgateway.policy.PolicyChain;
import dev.mailgateway.policy.PolicyCheck;
import dev.mailgateway.policy.RecipientMap;
import dev.mailgateway.policy.RecipientValidation;
import dev.mailgateway.policy.RelayControl;
import dev.mailgateway.smtpd.internal.HostReplies;
import dev.mailgateway.smtpd.internal.ListenerSettings;
import dev.mailgateway.smtpd.internal.MessageDelivery;
import dev.mailgateway.smtpd.internal.ReceivedMessage;
import dev.mailgateway.smtpd.internal.SmtpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener as a Camel consumer. Each received message becomes one Exchange (body: the bytes; headers: the
 * envelope, see {@link SmtpdConstants}) routed on a bounded worker pool, never on a network thread; the client's
 * reply waits for the route's outcome ({@link RouteOutcome}).
 */
public class SmtpdConsumer extends DefaultConsumer implements MessageDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpdConsumer.class);

    private ExecutorService workers;
    private ScheduledExecutorService maintenance;
    private RoutePolicyCheck routeCheck;
    private SmtpServer server;
    private ListenerSettings settings;
    private volatile InetSocketAddress localAddress;

    public SmtpdConsumer(SmtpdEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SmtpdEndpoint getEndpoint() {
        return (SmtpdEndpoint) super.getEndpoint();
    }

    /** The address the listener is bound to (its real port when configured with port 0). */
    public InetSocketAddress getLocalAddress() {
        return localAddress;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SmtpdConfiguration config = getEndpoint().getConfiguration();
        workers = startWorkers(config);
        settings = settings(config);
        server = new SmtpServer(settings, this, getEndpoint().getComponent().eventLoops());
        localAddress = server.bind(config.getBind(), config.getPort());
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.shutdown(getEndpoint().getConfiguration().getShutdownTimeout());
            server = null;
        }
        if (routeCheck != null) {
            routeCheck.stop();
            routeCheck = null;
        }
        if (workers != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(workers);
            workers = null;
        }
        if (maintenance != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(maintenance);
            maintenance = null;
        }
        super.doStop();
    }

    private ExecutorService startWorkers(SmtpdConfiguration config) {
        ThreadPoolProfile profile = new ThreadPoolProfile("smtpd-" + getEndpoint().getName());
        profile.setPoolSize(config.getWorkerThreads());
        profile.setMaxPoolSize(config.getWorkerThreads());
        profile.setMaxQueueSize(config.getWorkerQueueSize());
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return getEndpoint().getCamelContext().getExecutorServiceManager()
                .newThreadPool(this, "smtpd-" + getEndpoint().getName(), profile);
    }

    private ListenerSettings settings(SmtpdConfiguration config) throws Exception {
        String hostname = config.getHostname() == null || config.getHostname().isBlank()
                ? localHostName() : config.getHostname().trim();
        NetworkList trusted = NetworkList.parse(config.getTrustedNetworks());
        HostReplies replies = HostReplies.forHost(hostname, config.getMaxMessageSize());
        List<PolicyCheck> checks = new ArrayList<>();
        checks.add(new RelayControl(DomainList.parse(config.getRelayDomains()), trusted, hostname));
        if (config.getRecipientMap() != null && !config.getRecipientMap().isBlank()) {
            RecipientMap map = new RecipientMap(Path.of(config.getRecipientMap().trim()), config.getRecipientDelimiter());
            // file I/O stays off the network threads: a background check picks up changes
            maintenance = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "smtpd-" + getEndpoint().getName() + "-maps");
            maintenance.scheduleWithFixedDelay(map::reloadIfChanged, 5, 5, TimeUnit.SECONDS);
            checks.add(new RecipientValidation(map));
        }
        if (config.getPolicyUri() != null && !config.getPolicyUri().isBlank()) {
            routeCheck = new RoutePolicyCheck(getEndpoint().getCamelContext().getEndpoint(config.getPolicyUri()),
                    workers, config.getPolicyTimeout(), replies.busy());
            routeCheck.start();
            checks.add(routeCheck);
        }
        return new ListenerSettings(getEndpoint().getName(), hostname,
                config.getMaxMessageSize(), config.getMaxRecipients(), config.getMaxLineLength(),
                config.getMaxErrors(), config.getIdleTimeout(), config.getGreetPause(), trusted,
                config.getBareLineEndings(), config.getMaxConnections(), config.getMaxConnectionsPerClient(),
                new PolicyChain(checks), replies);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void deliver(ReceivedMessage message, Consumer<SmtpReply> done) {
        Consumer<SmtpReply> once = once(done);
        try {
            workers.execute(() -> route(message, once));
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: every route worker is busy, answering {}", message.queueId(), settings.replies().busy());
            once.accept(settings.replies().busy());
        }
    }

    private void route(ReceivedMessage message, Consumer<SmtpReply> done) {
        Exchange exchange = createExchange(false);
        try {
            fill(exchange.getMessage(), message);
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    done.accept(RouteOutcome.replyFor(exchange, message.queueId()));
                } finally {
                    releaseExchange(exchange, false);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("{}: could not hand the message to the route", message.queueId(), e);
            done.accept(RouteOutcome.NOT_QUEUED);
        }
    }

    private static void fill(Message out, ReceivedMessage message) {
        out.setBody(message.content());
        out.setHeader(SmtpdConstants.QUEUE_ID, message.queueId());
        out.setHeader(SmtpdConstants.SENDER, message.envelope().sender().toString());
        out.setHeader(SmtpdConstants.RECIPIENTS,
                message.envelope().recipients().stream().map(MailAddress::toString).toList());
        if (message.envelope().bodyType() != null) {
            out.setHeader(SmtpdConstants.BODY_TYPE, message.envelope().bodyType());
        }
        out.setHeader(SmtpdConstants.CLIENT_ADDRESS, message.client().getAddress().getHostAddress());
        out.setHeader(SmtpdConstants.CLIENT_PORT, message.client().getPort());
        out.setHeader(SmtpdConstants.HELO, message.helo());
        out.setHeader(SmtpdConstants.LISTENER, message.listener());
        out.setHeader(SmtpdConstants.PROTOCOL, message.protocol());
    }

    /** The session must hear exactly one answer, whichever of the paths above gives it. */
    private static Consumer<SmtpReply> once(Consumer<SmtpReply> done) {
        AtomicBoolean called = new AtomicBoolean();
        return reply -> {
            if (called.compareAndSet(false, true)) {
                done.accept(reply);
            } else {
                LOG.error("a second reply for one message was dropped: {}", reply);
            }
        };
    }
}
