package dev.mailgateway.policy;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.policy.block.DnsblBlock;
import dev.mailgateway.policy.block.ExemptRecipients;
import dev.mailgateway.policy.block.GreylistBlock;
import dev.mailgateway.policy.block.PolicyBlock;
import dev.mailgateway.policy.block.RateLimit;
import dev.mailgateway.policy.block.RateLimitBlock;
import dev.mailgateway.policy.block.RhsblBlock;
import dev.mailgateway.policy.block.VerifyRecipientBlock;
import dev.mailgateway.policy.lists.DnsListSites;
import dev.mailgateway.relay.SmtpRelayComponent;
import dev.mailgateway.state.PolicyStore;
import dev.mailgateway.state.PolicyStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mail-policy} component: spam defence before DATA as route steps ({@code mail-policy:dnsbl},
 * {@code rhsbl}, {@code greylist}, {@code rate-limit}, {@code verify-recipient}). The blocks of all endpoints share
 * one DNS resolver (the relay's) and one state store: in this process, or Redis ({@code stateRedis}) for every
 * gateway on it.
 */
@org.apache.camel.spi.annotations.Component("mail-policy")
public class MailPolicyComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MailPolicyComponent.class);

    @Metadata(description = "Default options of every block")
    private MailPolicyConfiguration configuration = new MailPolicyConfiguration();
    @Metadata(description = "redis://host:port[/db] of the Redis that greylisting, rate limits and verification"
            + " results live in, shared by every gateway on it; blank: in this process")
    private String stateRedis = "";
    @Metadata(defaultValue = "1s", description = "Longest wait for the state store; then the check fails open")
    private Duration stateTimeout = Duration.ofSeconds(1);
    @Metadata(description = "DNS server (host[:port]) for the lists; blank: the system's resolvers")
    private String dnsServer = "";
    @Metadata(defaultValue = "5s", description = "DNS timeout")
    private Duration dnsTimeout = Duration.ofSeconds(5);
    @Metadata(label = "advanced", description = "The clock of greylisting and rate limits (tests move one by hand)")
    private Clock clock = Clock.systemUTC();

    private PolicyStore store;
    private ExecutorService continuations;
    private ScheduledExecutorService maintenance;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MailPolicyConfiguration config = configuration.copy();
        setProperties(config, parameters);
        MailPolicyEndpoint endpoint = new MailPolicyEndpoint(uri, this, MailPolicyEndpoint.Block.named(remaining), config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        continuations = getCamelContext().getExecutorServiceManager().newThreadPool(this, "mail-policy", 2, 16);
        maintenance = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "mail-policy-files");
    }

    @Override
    protected void doStop() throws Exception {
        if (maintenance != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(maintenance);
        }
        if (continuations != null) {
            getCamelContext().getExecutorServiceManager().shutdown(continuations);
        }
        synchronized (this) {
            if (store != null) {
                store.close();
                store = null;
            }
        }
        super.doStop();
    }

    /** Threads that continue a route when a block's answer came later (never the DNS or Redis I/O thread). */
    ExecutorService continuations() {
        return continuations;
    }

    /** The block an endpoint runs, built from its options (which fail here, at start, when they do not parse). */
    PolicyBlock block(MailPolicyEndpoint.Block block, MailPolicyConfiguration config) {
        ExemptRecipients exempt = ExemptRecipients.parse(config.getExemptRecipients());
        return switch (block) {
            case DNSBL -> dnsbl(config, exempt);
            case RHSBL -> new RhsblBlock(DnsListSites.parse(config.getRhsbl()), config.getRhsblThreshold(), exempt,
                    dns());
            case RATE_LIMIT -> new RateLimitBlock(RateLimit.parseAll(config.getRateLimits()),
                    config.isRateLimitTrusted(), store());
            case GREYLIST -> greylist(config, exempt);
            case VERIFY_RECIPIENT -> verifyRecipient(config);
        };
    }

    private DnsblBlock dnsbl(MailPolicyConfiguration config, ExemptRecipients exempt) {
        return new DnsblBlock(DnsListSites.parse(config.getDnsbl()), config.getDnsblThreshold(), exempt, dns());
    }

    private PolicyBlock greylist(MailPolicyConfiguration config, ExemptRecipients exempt) {
        if (!config.isGreylist()) {
            return query -> dev.mailgateway.policy.block.BlockResult.passNow();
        }
        DnsblBlock lists = DnsListSites.parse(config.getDnsbl()).isEmpty() ? null : dnsbl(config, exempt);
        return new GreylistBlock(new PolicyStore.GreylistRules(config.getGreylistDelay(), config.getGreylistWindow(),
                config.getGreylistAutoAllow(), config.getGreylistRemember()), store(), exempt,
                lists == null ? null : lists::score);
    }

    private PolicyBlock verifyRecipient(MailPolicyConfiguration config) {
        if (!config.isVerifyRecipients()) {
            return query -> dev.mailgateway.policy.block.BlockResult.passNow();
        }
        RecipientMap map = null;
        if (config.getRecipientMap() != null && !config.getRecipientMap().isBlank()) {
            map = new RecipientMap(Path.of(config.getRecipientMap().trim()), "+");
            RecipientMap watched = map;
            maintenance.scheduleWithFixedDelay(() -> watched.file().reloadIfChanged(), 5, 5, TimeUnit.SECONDS);
        }
        SmtpRelayComponent relay = getCamelContext().getComponent("smtp-relay", SmtpRelayComponent.class);
        return new VerifyRecipientBlock(DomainList.parse(config.getRelayDomains()), map,
                relay.recipientProbe()::probe, store(), config.getVerifyPositiveTtl(), config.getVerifyNegativeTtl());
    }

    private Dns dns() {
        return Dns.shared(getCamelContext(), dnsServer, dnsTimeout);
    }

    /** The policy state the blocks share (for the readiness check): opened now if no block has yet. */
    public PolicyStore stateStore() {
        return store();
    }

    /** The one store of all blocks, opened on first use (a Redis that is down does not stop the start). */
    synchronized PolicyStore store() {
        if (store == null) {
            store = PolicyStores.open(stateRedis, stateTimeout, clock);
            LOG.info("policy state (greylisting, rate limits, verified recipients) in {}", store.describe());
        }
        return store;
    }

    public MailPolicyConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(MailPolicyConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getStateRedis() {
        return stateRedis;
    }

    public void setStateRedis(String stateRedis) {
        this.stateRedis = stateRedis;
    }

    public Duration getStateTimeout() {
        return stateTimeout;
    }

    public void setStateTimeout(Duration stateTimeout) {
        this.stateTimeout = stateTimeout;
    }

    public String getDnsServer() {
        return dnsServer;
    }

    public void setDnsServer(String dnsServer) {
        this.dnsServer = dnsServer;
    }

    public Duration getDnsTimeout() {
        return dnsTimeout;
    }

    public void setDnsTimeout(Duration dnsTimeout) {
        this.dnsTimeout = dnsTimeout;
    }

    public Clock getClock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }
}
