package dev.mailgateway.smtpd;

import dev.mailgateway.auth.SenderLogins;
import dev.mailgateway.auth.UserStore;
import dev.mailgateway.files.OwnerOnly;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.ReceivedHeaders;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.DomainList;
import dev.mailgateway.policy.LookupFile;
import dev.mailgateway.policy.NetworkList;
import dev.mailgateway.policy.PolicyChain;
import dev.mailgateway.policy.PolicyCheck;
import dev.mailgateway.policy.RecipientMap;
import dev.mailgateway.policy.RecipientValidation;
import dev.mailgateway.policy.RelayControl;
import dev.mailgateway.policy.SenderSpecifiedRouting;
import dev.mailgateway.smtpd.internal.AuthSettings;
import dev.mailgateway.smtpd.internal.HostReplies;
import dev.mailgateway.smtpd.internal.ListenerSettings;
import dev.mailgateway.smtpd.internal.MessageBudget;
import dev.mailgateway.smtpd.internal.MessageContent;
import dev.mailgateway.smtpd.internal.MessageDelivery;
import dev.mailgateway.smtpd.internal.ReceivedMessage;
import dev.mailgateway.smtpd.internal.ServerTls;
import dev.mailgateway.smtpd.internal.SmtpServer;
import dev.mailgateway.smtpd.internal.SpillSettings;
import dev.mailgateway.smtpd.internal.TimeLimits;
import dev.mailgateway.smtpd.internal.TlsMode;
import dev.mailgateway.tls.TlsContexts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener as a Camel consumer. Each received message becomes one Exchange (body: the bytes, in memory or a
 * file-backed stream cache for large messages; headers: the envelope, see {@link SmtpdConstants}) routed on a
 * bounded worker pool, never on a network thread; the client's reply waits for the route's outcome
 * ({@link RouteOutcome}).
 */
public class SmtpdConsumer extends DefaultConsumer implements MessageDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpdConsumer.class);
    private static final SmtpReply NO_ROOM = SmtpReply.of(452, "4.3.1", "Insufficient system storage, try again later");
    private static final SmtpReply TOO_MANY_HOPS = SmtpReply.of(554, "5.4.6", "Error: too many hops");

    private ExecutorService workers;
    private ExecutorService spillWriters;
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
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        String name = "smtpd-" + getEndpoint().getName();
        workers = executors.newThreadPool(this, name, workerProfile(name, config));
        spillWriters = executors.newFixedThreadPool(this, name + "-spill", 2);
        maintenance = executors.newSingleThreadScheduledExecutor(this, name + "-maps");
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
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (workers != null) {
            executors.shutdownGraceful(workers);
            executors.shutdownGraceful(spillWriters);
            executors.shutdownNow(maintenance);
            workers = null;
        }
        super.doStop();
    }

    private static ThreadPoolProfile workerProfile(String name, SmtpdConfiguration config) {
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(config.getWorkerThreads());
        profile.setMaxPoolSize(config.getWorkerThreads());
        profile.setMaxQueueSize(config.getWorkerQueueSize());
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return profile;
    }

    private ListenerSettings settings(SmtpdConfiguration config) throws Exception {
        String hostname = config.getHostname() == null || config.getHostname().isBlank()
                ? localHostName() : config.getHostname().trim();
        NetworkList trusted = NetworkList.parse(config.getTrustedNetworks());
        HostReplies replies = HostReplies.forHost(hostname, config.getMaxMessageSize(), config.isSmtpUtf8());
        AuthSettings auth = authSettings(config);
        return new ListenerSettings(getEndpoint().getName(), hostname,
                config.getMaxMessageSize(), config.getMaxRecipients(), config.getMaxLineLength(),
                config.getMaxErrors(), new TimeLimits(config.getIdleTimeout(), config.getStressIdleTimeout(),
                        config.getMinDataRate(), config.getMaxSessionTime()), config.getGreetPause(), trusted,
                config.getBareLineEndings(), config.getMaxConnections(), config.getMaxConnectionsPerClient(),
                new PolicyChain(checks(config, trusted, hostname, replies)), replies, tls(config, hostname), auth,
                new SpillSettings(spillDirectory(config), config.getSpillThreshold(), 4 * 64 * 1024, spillWriters));
    }

    private List<PolicyCheck> checks(SmtpdConfiguration config, NetworkList trusted, String hostname,
            HostReplies replies) throws Exception {
        List<PolicyCheck> checks = new ArrayList<>();
        DomainList relayDomains = DomainList.parse(config.getRelayDomains());
        checks.add(new RelayControl(relayDomains, trusted, hostname));
        checks.add(new SenderSpecifiedRouting(trusted));
        if (!isBlank(config.getRecipientMap())) {
            RecipientMap map = new RecipientMap(Path.of(config.getRecipientMap().trim()), config.getRecipientDelimiter());
            watch(map.file());
            RecipientValidation validation = new RecipientValidation(map, relayDomains);
            validation.warnAboutUnlisted(config.getRelayDomains());
            checks.add(validation);
        }
        if (!isBlank(config.getSenderLogins())) {
            SenderLogins logins = new SenderLogins(Path.of(config.getSenderLogins().trim()));
            watch(logins.file());
            checks.add(logins);
        }
        if (!isBlank(config.getPolicyUri())) {
            routeCheck = new RoutePolicyCheck(getEndpoint().getCamelContext().getEndpoint(config.getPolicyUri()),
                    workers, config.getPolicyTimeout(), replies.busy());
            routeCheck.start();
            checks.add(routeCheck);
        }
        return checks;
    }

    private static ServerTls tls(SmtpdConfiguration config, String hostname) throws Exception {
        if (config.getTls() == TlsMode.NONE) {
            return ServerTls.NONE;
        }
        return new ServerTls(config.getTls(), TlsContexts.server(config.getTlsCertificate(), config.getTlsKey(),
                config.getTlsKeyPassword(), Path.of(config.getTlsSelfSignedDirectory()), hostname,
                config.getTlsProtocols(), config.getTlsCiphers()));
    }

    private AuthSettings authSettings(SmtpdConfiguration config) {
        if (config.getAuth() == dev.mailgateway.smtpd.internal.AuthMode.NONE) {
            return AuthSettings.NONE;
        }
        if (config.getTls() == TlsMode.NONE && !config.isAuthPlaintext()) {
            throw new IllegalArgumentException("smtpd " + getEndpoint().getName()
                    + ": auth without TLS would never be offered; enable tls or authPlaintext");
        }
        UserStore users = new UserStore(Path.of(config.getAuthUsers()));
        watch(users.file());
        if (users.isEmpty()) {
            LOG.warn("listener {} offers AUTH but {} has no users yet: add one with "
                    + "java -jar target/mail-gateway.jar add-user NAME", getEndpoint().getName(), config.getAuthUsers());
        }
        return new AuthSettings(config.getAuth(), config.isAuthPlaintext(), (user, password) -> {
            CompletableFuture<Boolean> answer = new CompletableFuture<>();
            try {
                workers.execute(() -> answer.complete(users.authenticate(user, password)));
            } catch (RejectedExecutionException e) {
                answer.completeExceptionally(e);
            }
            return answer;
        }, config.getAuthFailureDelay(),
                getEndpoint().getComponent().authThrottle(config.getAuthMaxFailures(), config.getAuthFailureWindow()));
    }

    /** Operator files are re-read when they change, on a background thread. */
    private void watch(LookupFile<?> file) {
        maintenance.scheduleWithFixedDelay(file::reloadIfChanged, 5, 5, TimeUnit.SECONDS);
    }

    /**
     * {@code <spillDirectory>/<listener>}: this listener's alone, so leftovers of a crash (files of messages that
     * never got a 250) can be removed at start without touching another listener's messages in flight.
     */
    private Path spillDirectory(SmtpdConfiguration config) throws IOException {
        Path base = isBlank(config.getSpillDirectory())
                ? Path.of(System.getProperty("java.io.tmpdir"), "smtpd") : Path.of(config.getSpillDirectory());
        OwnerOnly.directory(base);
        Path directory = OwnerOnly.directory(base.resolve(getEndpoint().getName()));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "message-*.eml")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
        return directory;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
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
        SmtpdComponent component = getEndpoint().getComponent();
        MessageBudget budget = component.budget();
        long size = message.content().size();
        Answer answer = new Answer(message.queueId(), done);
        budget.acquire(size).completeOnTimeout(false, component.getBudgetWait().toMillis(), TimeUnit.MILLISECONDS)
                .thenAccept(granted -> {
                    if (!granted) {
                        LOG.warn("{}: {} bytes waited {} for room among {} bytes in flight, answering {}",
                                message.queueId(), size, component.getBudgetWait(), budget.limit(), NO_ROOM);
                        message.content().release();
                        answer.give(NO_ROOM);
                        return;
                    }
                    Runnable finished = () -> {
                        try {
                            message.content().release();
                        } finally {
                            budget.release(size);
                        }
                    };
                    try {
                        workers.execute(() -> route(message, answer, finished));
                    } catch (RejectedExecutionException e) {
                        LOG.warn("{}: every route worker is busy, answering {}", message.queueId(),
                                settings.replies().busy());
                        finished.run();
                        answer.give(settings.replies().busy());
                        return;
                    }
                    Duration limit = getEndpoint().getConfiguration().getRouteTimeout();
                    maintenance.schedule(() -> answer.lateRoute(limit), limit.toMillis(), TimeUnit.MILLISECONDS);
                }).exceptionally(e -> {
                    // a future swallows what its stages throw: without this the client would wait forever
                    LOG.error("{}: the message could not be handed to the route", message.queueId(), e);
                    answer.give(RouteOutcome.NOT_QUEUED);
                    return null;
                });
    }

    private void route(ReceivedMessage message, Answer answer, Runnable finished) {
        if (tooManyHops(message)) {
            finished.run();
            answer.give(TOO_MANY_HOPS);
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            fill(exchange.getMessage(), message);
            getAsyncProcessor().process(exchange, doneSync -> {
                try {
                    answer.fromRoute(RouteOutcome.replyFor(exchange, message.queueId()));
                } finally {
                    releaseExchange(exchange, false);
                    finished.run();
                }
            });
        } catch (RuntimeException e) {
            LOG.error("{}: could not hand the message to the route", message.queueId(), e);
            finished.run();
            answer.give(RouteOutcome.NOT_QUEUED);
        }
    }

    /**
     * A loop, or a forger's pretence of one (which would make us bounce to whoever the sender says): refused in the
     * session, as Postfix's cleanup does, never taken and bounced.
     */
    private boolean tooManyHops(ReceivedMessage message) {
        MessageContent content = message.content();
        int limit = getEndpoint().getConfiguration().getMaxHops();
        if (content.isInMemory()) {
            return ReceivedHeaders.count(content.bytes()) > limit;
        }
        try (java.io.InputStream in = Files.newInputStream(content.file())) {
            return ReceivedHeaders.count(in) > limit;
        } catch (IOException e) {
            return false; // the route reads the file too, and answers 451 if it cannot
        }
    }

    private static void fill(Message out, ReceivedMessage message) {
        MessageContent content = message.content();
        out.setBody(content.isInMemory() ? content.bytes() : new FileInputStreamCache(content.file().toFile()));
        out.setHeader(SmtpdConstants.QUEUE_ID, message.queueId());
        out.setHeader(SmtpdConstants.SENDER, message.envelope().sender().toString());
        out.setHeader(SmtpdConstants.RECIPIENTS,
                message.envelope().recipients().stream().map(MailAddress::toString).toList());
        if (message.envelope().bodyType() != null) {
            out.setHeader(SmtpdConstants.BODY_TYPE, message.envelope().bodyType());
        }
        out.setHeader(SmtpdConstants.SMTPUTF8, message.envelope().smtpUtf8());
        out.setHeader(SmtpdConstants.CLIENT_ADDRESS, message.client().getAddress().getHostAddress());
        out.setHeader(SmtpdConstants.CLIENT_PORT, message.client().getPort());
        out.setHeader(SmtpdConstants.HELO, message.helo());
        out.setHeader(SmtpdConstants.LISTENER, message.listener());
        out.setHeader(SmtpdConstants.PROTOCOL, message.protocol());
        out.setHeader(SmtpdConstants.SIZE, content.size());
        if (message.tls() != null) {
            out.setHeader(SmtpdConstants.TLS_PROTOCOL, message.tls().protocol());
            out.setHeader(SmtpdConstants.TLS_CIPHER, message.tls().cipher());
        }
        if (message.authUser() != null) {
            out.setHeader(SmtpdConstants.AUTH_USER, message.authUser());
        }
    }

    /**
     * The one answer the session hears for a message: the route's, or, when the route takes longer than the route
     * timeout (a broker that went away can hold a JMS send far past its own timeouts), 451 so the client tries
     * again later. A route that finishes after that and took the message leaves a duplicate (the client resends),
     * never a loss; that is logged.
     */
    private static final class Answer {
        private final String queueId;
        private final Consumer<SmtpReply> session;
        private final AtomicBoolean given = new AtomicBoolean();

        Answer(String queueId, Consumer<SmtpReply> session) {
            this.queueId = queueId;
            this.session = session;
        }

        boolean give(SmtpReply reply) {
            if (given.compareAndSet(false, true)) {
                session.accept(reply);
                return true;
            }
            return false;
        }

        void fromRoute(SmtpReply reply) {
            if (!give(reply)) {
                LOG.warn("{}: the route answered {} after the client was told to try again{}", queueId, reply,
                        reply.isPositive() ? ": the message is queued and will likely come twice" : "");
            }
        }

        void lateRoute(Duration limit) {
            if (give(RouteOutcome.NOT_QUEUED)) {
                LOG.warn("{}: the route did not answer within {}: answered {}", queueId, limit, RouteOutcome.NOT_QUEUED);
            }
        }
    }
}
