package dev.mailgateway.relay;

import java.time.Duration;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/** Options of the smtp-relay producer and of its recipient probe: where mail goes and how it is sent. */
@UriParams
public class SmtpRelayConfiguration implements Cloneable {

    @UriParam(description = "Our name in EHLO; blank: this machine's name")
    private String heloName = "";
    @UriParam(description = "domain=host:port pairs, comma-separated (.domain: its subdomains); before the smarthost")
    private String transportMap = "";
    @UriParam(description = "host:port every other domain goes to; blank: none")
    private String smarthost = "";
    @UriParam(label = "producer,security", description = "AUTH user at the smarthost; blank: no AUTH")
    private String smarthostUsername = "";
    @UriParam(label = "producer,security", description = "AUTH password at the smarthost", secret = true)
    private String smarthostPassword = "";
    @UriParam(label = "producer,security",
            defaultValue = "VERIFY", description = "TLS towards the smarthost: NONE, MAY, ENCRYPT, VERIFY. A password"
            + " is sent only over VERIFY, or over ENCRYPT when set explicitly (warned at start)")
    private TlsPolicy smarthostTls = TlsPolicy.VERIFY;
    @UriParam(label = "producer,security",
            defaultValue = "MAY", description = "TLS towards other next hops: NONE, MAY (opportunistic), ENCRYPT,"
            + " VERIFY (certificate chain and host name checked)")
    private TlsPolicy tls = TlsPolicy.MAY;
    @UriParam(label = "producer,security",
            description = "Per-domain TLS, domain=none|may|encrypt|verify, comma-separated")
    private String tlsPolicies = "";
    @UriParam(description = "Directory where mail for postmaster@<heloName> is kept; blank: it is relayed like any mail")
    private String postmasterDirectory = "";
    @UriParam(label = "producer,security",
            description = "PEM file of the CA certificates VERIFY trusts; blank: the JDK's trust store")
    private String tlsCaFile = "";
    @UriParam(label = "producer,security",
            defaultValue = "TLSv1.3,TLSv1.2", description = "TLS versions offered to next hops")
    private String tlsProtocols = "TLSv1.3,TLSv1.2";
    @UriParam(label = "producer,security", description = "Camel's TLS configuration (trust managers, key managers"
            + " for a client certificate, protocols, cipher suites) for next hops with VERIFY, e.g. #tlsParameters:"
            + " when set, it is used instead of tlsCaFile and tlsProtocols; MAY and ENCRYPT stay unauthenticated")
    private SSLContextParameters sslContextParameters;
    @UriParam(defaultValue = "true", description = "Look up MX hosts for domains the transport map and smarthost do not take")
    private boolean mx = true;
    @UriParam(description = "DNS server for MX lookups, host[:port]; blank: the system's resolvers")
    private String dnsServer = "";
    @UriParam(label = "producer,advanced", defaultValue = "5s", description = "DNS query timeout")
    private Duration dnsTimeout = Duration.ofSeconds(5);
    @UriParam(label = "producer,advanced",
            defaultValue = "25", description = "Port of MX hosts (25; another only for test set-ups)")
    private int mxPort = 25;
    @UriParam(label = "producer,advanced",
            defaultValue = "50", description = "Received: fields a message may have; more is a loop (5.4.6)")
    private int maxHops = 50;
    @UriParam(defaultValue = "50", description = "Recipients per transaction")
    private int maxRecipients = 50;
    @UriParam(label = "producer,advanced",
            defaultValue = "10", description = "Connections per next-hop address at once (keep it well below the"
            + " relay's consumers, so one slow destination cannot hold them all)")
    private int maxConnectionsPerDestination = 10;
    @UriParam(label = "producer,advanced",
            defaultValue = "1s", description = "How long a delivery waits for a connection to a next hop that has"
            + " all of its connections busy; then the mail goes back to its queue for a little while")
    private Duration destinationWait = Duration.ofSeconds(1);
    @UriParam(label = "producer,advanced",
            defaultValue = "3", description = "Failed connection attempts in a row after which a next hop is"
            + " suspended (its mail deferred without trying)")
    private int suspendAfterFailures = 3;
    @UriParam(label = "producer,advanced", defaultValue = "2m", description = "How long a next hop stays suspended")
    private Duration suspendTime = Duration.ofMinutes(2);
    @UriParam(label = "producer,advanced",
            defaultValue = "100", description = "Transactions per connection before it is closed")
    private int maxReuse = 100;
    @UriParam(label = "producer,advanced",
            defaultValue = "10s", description = "How long an idle connection is kept for the next message")
    private Duration idleTimeout = Duration.ofSeconds(10);
    @UriParam(label = "producer,advanced", defaultValue = "30s", description = "Connect timeout")
    private Duration connectTimeout = Duration.ofSeconds(30);
    @UriParam(label = "producer,advanced",
            defaultValue = "5m", description = "Timeout for the server's greeting (Postfix smtp_helo_timeout)")
    private Duration greetingTimeout = Duration.ofMinutes(5);
    @UriParam(label = "producer,advanced",
            defaultValue = "5m", description = "Timeout for each reply but the greeting and the last, and for each write")
    private Duration commandTimeout = Duration.ofMinutes(5);
    @UriParam(label = "producer,advanced",
            defaultValue = "10m", description = "Timeout for the reply to the end of the data")
    private Duration dataTimeout = Duration.ofMinutes(10);
    @UriParam(label = "producer,advanced",
            defaultValue = "10s", description = "Recipient verification (the component's recipient probe): the"
            + " longest one probe may take, queued, connecting and talking; then it is answered 450 (not known) and"
            + " its connection closed. The SMTP client waits this long for its RCPT reply")
    private Duration verifyTimeout = Duration.ofSeconds(10);

    public Duration getVerifyTimeout() {
        return verifyTimeout;
    }

    public void setVerifyTimeout(Duration verifyTimeout) {
        this.verifyTimeout = verifyTimeout;
    }

    public String getPostmasterDirectory() {
        return postmasterDirectory;
    }

    public void setPostmasterDirectory(String postmasterDirectory) {
        this.postmasterDirectory = postmasterDirectory;
    }

    public String getTlsCaFile() {
        return tlsCaFile;
    }

    public void setTlsCaFile(String tlsCaFile) {
        this.tlsCaFile = tlsCaFile;
    }

    public Duration getDestinationWait() {
        return destinationWait;
    }

    public void setDestinationWait(Duration destinationWait) {
        this.destinationWait = destinationWait;
    }

    public int getSuspendAfterFailures() {
        return suspendAfterFailures;
    }

    public void setSuspendAfterFailures(int suspendAfterFailures) {
        this.suspendAfterFailures = suspendAfterFailures;
    }

    public Duration getSuspendTime() {
        return suspendTime;
    }

    public void setSuspendTime(Duration suspendTime) {
        this.suspendTime = suspendTime;
    }

    public Duration getGreetingTimeout() {
        return greetingTimeout;
    }

    public void setGreetingTimeout(Duration greetingTimeout) {
        this.greetingTimeout = greetingTimeout;
    }

    public SmtpRelayConfiguration copy() {
        try {
            return (SmtpRelayConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getHeloName() {
        return heloName;
    }

    public void setHeloName(String heloName) {
        this.heloName = heloName;
    }

    public String getTransportMap() {
        return transportMap;
    }

    public void setTransportMap(String transportMap) {
        this.transportMap = transportMap;
    }

    public String getSmarthost() {
        return smarthost;
    }

    public void setSmarthost(String smarthost) {
        this.smarthost = smarthost;
    }

    public String getSmarthostUsername() {
        return smarthostUsername;
    }

    public void setSmarthostUsername(String smarthostUsername) {
        this.smarthostUsername = smarthostUsername;
    }

    public String getSmarthostPassword() {
        return smarthostPassword;
    }

    public void setSmarthostPassword(String smarthostPassword) {
        this.smarthostPassword = smarthostPassword;
    }

    public TlsPolicy getSmarthostTls() {
        return smarthostTls;
    }

    public void setSmarthostTls(TlsPolicy smarthostTls) {
        this.smarthostTls = smarthostTls;
    }

    public TlsPolicy getTls() {
        return tls;
    }

    public void setTls(TlsPolicy tls) {
        this.tls = tls;
    }

    public String getTlsPolicies() {
        return tlsPolicies;
    }

    public void setTlsPolicies(String tlsPolicies) {
        this.tlsPolicies = tlsPolicies;
    }

    public String getTlsProtocols() {
        return tlsProtocols;
    }

    public void setTlsProtocols(String tlsProtocols) {
        this.tlsProtocols = tlsProtocols;
    }

    public int getMaxHops() {
        return maxHops;
    }

    public void setMaxHops(int maxHops) {
        this.maxHops = maxHops;
    }

    public boolean isMx() {
        return mx;
    }

    public void setMx(boolean mx) {
        this.mx = mx;
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

    public int getMxPort() {
        return mxPort;
    }

    public void setMxPort(int mxPort) {
        this.mxPort = mxPort;
    }

    public int getMaxRecipients() {
        return maxRecipients;
    }

    public void setMaxRecipients(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    public int getMaxConnectionsPerDestination() {
        return maxConnectionsPerDestination;
    }

    public void setMaxConnectionsPerDestination(int maxConnectionsPerDestination) {
        this.maxConnectionsPerDestination = maxConnectionsPerDestination;
    }

    public int getMaxReuse() {
        return maxReuse;
    }

    public void setMaxReuse(int maxReuse) {
        this.maxReuse = maxReuse;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public Duration getDataTimeout() {
        return dataTimeout;
    }

    public void setDataTimeout(Duration dataTimeout) {
        this.dataTimeout = dataTimeout;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }
}
