package dev.mailgateway.mailauth;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mail.LocalHost;
import dev.mailgateway.mailauth.dkim.DkimVerifier;
import dev.mailgateway.mailauth.dmarc.DmarcVerifier;
import dev.mailgateway.mailauth.dmarc.OrganizationalDomains;
import dev.mailgateway.mailauth.spf.SpfVerifier;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code mail-auth} component: sender authentication as route steps ({@code mail-auth:spf}, {@code dkim},
 * {@code dmarc}, {@code results}). Its verifiers ask the gateway's one DNS resolver; the Public Suffix List for
 * DMARC's organizational domains is the bundled one, or {@code pslFile}.
 */
@org.apache.camel.spi.annotations.Component("mail-auth")
public class MailAuthComponent extends DefaultComponent {

    @Metadata(description = "Default options of every block")
    private MailAuthConfiguration configuration = new MailAuthConfiguration();
    @Metadata(description = "Our host name: the authserv-id of Authentication-Results and SPF's %{r}; blank: this"
            + " machine's name")
    private String hostname = "";
    @Metadata(description = "DNS server (host[:port]); blank: the system's resolvers")
    private String dnsServer = "";
    @Metadata(defaultValue = "5s", description = "DNS timeout")
    private Duration dnsTimeout = Duration.ofSeconds(5);
    @Metadata(description = "A newer Public Suffix List (public_suffix_list.dat) for DMARC; blank: the bundled one")
    private String pslFile = "";

    private SpfResults spf;
    private DkimVerifier dkim;
    private DmarcVerifier dmarc;
    private ExecutorService continuations;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MailAuthConfiguration config = configuration.copy();
        setProperties(config, parameters);
        MailAuthEndpoint endpoint = new MailAuthEndpoint(uri, this, MailAuthEndpoint.Block.named(remaining), config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        continuations = getCamelContext().getExecutorServiceManager().newThreadPool(this, "mail-auth", 2, 16);
    }

    @Override
    protected void doStop() throws Exception {
        if (continuations != null) {
            getCamelContext().getExecutorServiceManager().shutdown(continuations);
        }
        super.doStop();
    }

    /** Threads that continue a route when an answer came later (never the DNS I/O thread). */
    ExecutorService continuations() {
        return continuations;
    }

    String authservId() {
        return LocalHost.name(hostname);
    }

    synchronized SpfResults spf() {
        if (spf == null) {
            spf = new SpfResults(new SpfVerifier(dns(), authservId()));
        }
        return spf;
    }

    synchronized DkimVerifier dkim() {
        if (dkim == null) {
            dkim = new DkimVerifier(dns());
        }
        return dkim;
    }

    synchronized DmarcVerifier dmarc() throws java.io.IOException {
        if (dmarc == null) {
            dmarc = new DmarcVerifier(dns(), OrganizationalDomains.configured(pslFile));
        }
        return dmarc;
    }

    private Dns dns() {
        return Dns.shared(getCamelContext(), dnsServer, dnsTimeout);
    }

    public MailAuthConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(MailAuthConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
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

    public String getPslFile() {
        return pslFile;
    }

    public void setPslFile(String pslFile) {
        this.pslFile = pslFile;
    }
}
