package dev.mailgateway.smtpd;

import dev.mailgateway.auth.SenderLogins;
import dev.mailgateway.auth.UserStore;
import dev.mailgateway.files.OwnerOnly;
import dev.mailgateway.mail.LocalHost;
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
import dev.mailgateway.smtpd.internal.ServerTls;
import dev.mailgateway.smtpd.internal.SpillSettings;
import dev.mailgateway.smtpd.internal.TimeLimits;
import dev.mailgateway.smtpd.internal.TlsMode;
import dev.mailgateway.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Turns a listener's configuration into what its sessions run on: limits, replies, TLS, AUTH, the spill directory
 * and the chain of policy checks (relay control, sender-specified routing, the recipient map, sender logins, the
 * policy route). Operator files it reads are re-read when they change, on the maintenance thread.
 */
final class ListenerSetup {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpdConsumer.class);

    private final SmtpdEndpoint endpoint;
    private final ExecutorService workers;
    private final ExecutorService spillWriters;
    private final ScheduledExecutorService maintenance;
    private final ExceptionHandler errors;
    private RoutePolicyCheck routeCheck;

    ListenerSetup(SmtpdEndpoint endpoint, ExecutorService workers, ExecutorService spillWriters,
            ScheduledExecutorService maintenance, ExceptionHandler errors) {
        this.endpoint = endpoint;
        this.errors = errors;
        this.workers = workers;
        this.spillWriters = spillWriters;
        this.maintenance = maintenance;
    }

    /** The policy route's check, when the listener has one: it has a lifecycle of its own. */
    RoutePolicyCheck routeCheck() {
        return routeCheck;
    }

    ListenerSettings settings(SmtpdConfiguration config) throws Exception {
        String hostname = LocalHost.name(config.getHostname());
        NetworkList trusted = NetworkList.parse(config.getTrustedNetworks());
        HostReplies replies = HostReplies.forHost(hostname, config.getMaxMessageSize(), config.isSmtpUtf8());
        AuthSettings auth = authSettings(config);
        return new ListenerSettings(endpoint.getName(), hostname,
                config.getMaxMessageSize(), config.getMaxRecipients(), config.getMaxLineLength(),
                config.getMaxErrors(), new TimeLimits(config.getIdleTimeout(), config.getStressIdleTimeout(),
                        config.getMinDataRate(), config.getMaxSessionTime()), config.getGreetPause(), trusted,
                config.getBareLineEndings(), config.getMaxConnections(), config.getMaxConnectionsPerClient(),
                new PolicyChain(checks(config, trusted, hostname, replies)), replies, tls(config, hostname), auth,
                new SpillSettings(spillDirectory(config), config.getSpillThreshold(), 4 * 64 * 1024, spillWriters),
                NetworkList.parse(config.getXclientHosts()));
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
            RecipientValidation validation = new RecipientValidation(map, relayDomains, config.isVerifyRecipients());
            validation.warnAboutUnlisted(config.getRelayDomains());
            checks.add(validation);
        }
        if (!isBlank(config.getSenderLogins())) {
            SenderLogins logins = new SenderLogins(Path.of(config.getSenderLogins().trim()));
            watch(logins.file());
            checks.add(logins);
        }
        if (config.isVerifyRecipients()) {
            requireVerificationStep(config);
        }
        if (!isBlank(config.getPolicyUri())) {
            routeCheck = new RoutePolicyCheck(endpoint.getCamelContext().getEndpoint(config.getPolicyUri()),
                    workers, config.getPolicyTimeout(), replies.busy(), errors);
            routeCheck.start();
            checks.add(routeCheck);
        }
        return checks;
    }

    /**
     * With verification on, unlisted relay-domain recipients get past the recipient map: a policy route without the
     * step that verifies them would accept them all, and bounce what the next hop refuses. Refused at start.
     */
    private void requireVerificationStep(SmtpdConfiguration config) {
        boolean present = !isBlank(config.getPolicyUri()) && endpoint.getCamelContext().getEndpoints().stream()
                .anyMatch(e -> e.getEndpointUri().replace("://", ":").startsWith("mail-policy:verify-recipient"));
        if (!present) {
            throw new IllegalArgumentException("smtpd " + endpoint.getName() + ": recipient verification is on"
                    + " (verifyRecipients, gateway.relay-recipients.verify) but no policy route with"
                    + " mail-policy:verify-recipient is there to do it; unknown users would be accepted and bounced");
        }
    }

    private ServerTls tls(SmtpdConfiguration config, String hostname) throws Exception {
        if (config.getTls() == TlsMode.NONE) {
            return ServerTls.NONE;
        }
        if (config.getSslContextParameters() != null) {
            return new ServerTls(config.getTls(), TlsContexts.server(
                    config.getSslContextParameters().createSSLContext(endpoint.getCamelContext())));
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
            throw new IllegalArgumentException("smtpd " + endpoint.getName()
                    + ": auth without TLS would never be offered; enable tls or authPlaintext");
        }
        UserStore users = new UserStore(Path.of(config.getAuthUsers()));
        watch(users.file());
        if (users.isEmpty()) {
            LOG.warn("listener {} offers AUTH but {} has no users yet: add one with "
                    + "java -jar target/mail-gateway.jar add-user NAME", endpoint.getName(), config.getAuthUsers());
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
                endpoint.getComponent().authThrottle(config.getAuthMaxFailures(), config.getAuthFailureWindow()));
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
        Path directory = OwnerOnly.directory(base.resolve(endpoint.getName()));
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
}
