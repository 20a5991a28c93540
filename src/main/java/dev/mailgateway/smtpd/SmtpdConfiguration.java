package dev.mailgateway.smtpd;

import dev.mailgateway.smtpd.internal.AuthMode;
import dev.mailgateway.smtpd.internal.BareLineEndings;
import dev.mailgateway.smtpd.internal.TlsMode;
import java.time.Duration;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Options of one smtpd listener. The component holds defaults; each endpoint gets its own copy with the URI's
 * options applied. The defaults are the safe ones: not an open relay, limits on size, recipients, errors,
 * connections and time.
 */
@UriParams
public class SmtpdConfiguration implements Cloneable {

    @UriParam(defaultValue = "0.0.0.0", description = "Address to listen on")
    private String bind = "0.0.0.0";
    @UriParam(defaultValue = "2525", description = "TCP port to listen on (0 picks a free one)")
    private int port = 2525;
    @UriParam(description = "Host name in the greeting, EHLO and Received headers; blank: this machine's name")
    private String hostname = "";
    @UriParam(defaultValue = "26214400", description = "Largest message in bytes (SIZE, and enforced in DATA)")
    private long maxMessageSize = 25L * 1024 * 1024;
    @UriParam(defaultValue = "100", description = "Recipients per message; more get 452 4.5.3")
    private int maxRecipients = 100;
    @UriParam(label = "consumer,advanced",
            defaultValue = "50", description = "Received: fields a message may have (ours included); more is a"
            + " loop, refused at the end of the data with 554 5.4.6")
    private int maxHops = 50;
    @UriParam(label = "consumer,advanced",
            defaultValue = "2048", description = "Longest command line; longer gets 500 5.5.2")
    private int maxLineLength = 2048;
    @UriParam(label = "consumer,advanced",
            defaultValue = "20", description = "Error replies before the session is closed with 421")
    private int maxErrors = 20;
    @UriParam(defaultValue = "5m", description = "Time without input before 421 4.4.2 and close")
    private Duration idleTimeout = Duration.ofMinutes(5);
    @UriParam(label = "consumer,advanced",
            defaultValue = "10s", description = "Idle timeout instead of idleTimeout while over three quarters of "
            + "maxConnections are taken (as Postfix under stress), so idle clients cannot keep others out")
    private Duration stressIdleTimeout = Duration.ofSeconds(10);
    @UriParam(label = "consumer,advanced",
            defaultValue = "500", description = "Bytes per second message data must average in DATA and BDAT "
            + "(as Postfix's smtpd_min_data_rate); slower: 421 4.4.2. Each read earns bytes/rate more time, never "
            + "more than the idle timeout from now. 0: off")
    private long minDataRate = 500;
    @UriParam(label = "consumer,advanced",
            defaultValue = "30m", description = "Longest session, whatever it is doing (also waiting for a check "
            + "or the route); then 421 4.4.2 and close")
    private Duration maxSessionTime = Duration.ofMinutes(30);
    @UriParam(label = "consumer,advanced",
            defaultValue = "0s", description = "Wait before greeting untrusted clients; talking first: 554")
    private Duration greetPause = Duration.ZERO;
    @UriParam(defaultValue = "1000", description = "Concurrent sessions on this listener")
    private int maxConnections = 1000;
    @UriParam(label = "consumer,advanced", defaultValue = "50",
            description = "Concurrent sessions per client address, IPv6 per /64 (trusted exempt)")
    private int maxConnectionsPerClient = 50;
    @UriParam(label = "consumer,security",
            defaultValue = "127.0.0.0/8,::1/128", description = "Clients that may relay anywhere (CIDR list)")
    private String trustedNetworks = "127.0.0.0/8,::1/128";
    @UriParam(label = "security", description = "Clients that may use XCLIENT (Postfix's extension) to speak for"
            + " another client: its address, HELO name and login, as a proxy or `explain` does (CIDR list; empty:"
            + " nobody). Never a network you do not control")
    private String xclientHosts = "";
    @UriParam(description = "Domains we accept mail for from anyone (.domain: its subdomains)")
    private String relayDomains = "";
    @UriParam(description = "File of valid recipients of relay domains; blank: no validation")
    private String recipientMap = "";
    @UriParam(description = "Recipients of relay domains the recipient map does not name are verified at the next"
            + " hop by mail-policy:verify-recipient in the policy route (which must then be there), instead of refused")
    private boolean verifyRecipients;
    @UriParam(defaultValue = "+", description = "Address extension delimiter for recipient map lookups")
    private String recipientDelimiter = "+";
    @UriParam(label = "consumer,advanced",
            defaultValue = "REJECT", description = "Bare CR or LF in message data: REJECT (550 5.5.2) or NORMALIZE")
    private BareLineEndings bareLineEndings = BareLineEndings.REJECT;
    @UriParam(description = "Endpoint of a policy route asked at CONNECT, HELO, MAIL and RCPT (e.g. direct:policy)")
    private String policyUri = "";
    @UriParam(label = "consumer,advanced",
            defaultValue = "30s", description = "Longest wait for the policy route; then 451 4.3.5")
    private Duration policyTimeout = Duration.ofSeconds(30);
    @UriParam(label = "consumer,advanced",
            defaultValue = "64", description = "Threads that run routes (never the network threads)")
    private int workerThreads = 64;
    @UriParam(label = "consumer,advanced",
            defaultValue = "256", description = "Messages waiting for a worker; beyond it clients get 421 4.3.2")
    private int workerQueueSize = 256;
    @UriParam(label = "consumer,advanced",
            defaultValue = "30s", description = "Longest wait for the route's answer after DATA; then 451 4.3.0")
    private Duration routeTimeout = Duration.ofSeconds(30);
    @UriParam(label = "consumer,advanced",
            defaultValue = "30s", description = "How long a stopping listener lets sessions finish")
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    @UriParam(label = "consumer,security",
            defaultValue = "OPTIONAL", description = "TLS: NONE, OPTIONAL (STARTTLS offered), REQUIRED "
            + "(STARTTLS before MAIL), IMPLICIT (TLS from the first byte, port 465)")
    private TlsMode tls = TlsMode.OPTIONAL;
    @UriParam(label = "consumer,security",
            description = "Certificate chain (PEM) or PKCS#12 file (.p12/.pfx); blank: self-signed")
    private String tlsCertificate = "";
    @UriParam(label = "consumer,security", description = "Private key (PEM) for a PEM certificate")
    private String tlsKey = "";
    @UriParam(label = "consumer,security", description = "Password of the key or PKCS#12 file", secret = true)
    private String tlsKeyPassword = "";
    @UriParam(label = "consumer,security",
            defaultValue = "data/tls", description = "Where the self-signed certificate is made and kept")
    private String tlsSelfSignedDirectory = "data/tls";
    @UriParam(label = "consumer,security", defaultValue = "TLSv1.3,TLSv1.2", description = "TLS protocol versions")
    private String tlsProtocols = "TLSv1.3,TLSv1.2";
    @UriParam(label = "consumer,security",
            description = "Cipher suites, comma-separated; blank: forward-secret AEAD suites first, then CBC")
    private String tlsCiphers = "";
    @UriParam(label = "consumer,security", description = "Camel's TLS configuration (key store, key managers,"
            + " protocols, cipher suites) for the server side, e.g. #tlsParameters: when set, it is used instead of"
            + " tlsCertificate, tlsKey, tlsProtocols and tlsCiphers (the JDK's TLS then, not BoringSSL)")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "consumer,security",
            defaultValue = "NONE", description = "SMTP AUTH: NONE, OPTIONAL, REQUIRED (before MAIL)")
    private AuthMode auth = AuthMode.NONE;
    @UriParam(label = "consumer,security",
            defaultValue = "config/users", description = "Users file: user:bcrypt-hash per line")
    private String authUsers = "config/users";
    @UriParam(label = "consumer,security",
            defaultValue = "false", description = "Offer AUTH without TLS (passwords in clear: not for the internet)")
    private boolean authPlaintext;
    @UriParam(label = "consumer,security",
            defaultValue = "5", description = "Failed AUTH attempts per client before 421 4.7.0")
    private int authMaxFailures = 5;
    @UriParam(label = "consumer,security",
            defaultValue = "15m", description = "How long failed AUTH attempts are remembered")
    private Duration authFailureWindow = Duration.ofMinutes(15);
    @UriParam(label = "consumer,security",
            defaultValue = "2s", description = "Wait before answering 535 to a wrong password")
    private Duration authFailureDelay = Duration.ofSeconds(2);
    @UriParam(label = "consumer,security",
            description = "Sender login map: which users may use which MAIL FROM; blank: not checked")
    private String senderLogins = "";

    @UriParam(label = "consumer,advanced",
            defaultValue = "true", description = "Offer SMTPUTF8 (RFC 6531); false for a system that cannot take UTF-8")
    private boolean smtpUtf8 = true;

    @UriParam(label = "consumer,advanced",
            defaultValue = "1048576", description = "Message bytes held in memory; beyond, the message goes to disk")
    private int spillThreshold = 1024 * 1024;
    @UriParam(label = "consumer,advanced",
            description = "Directory for messages on disk while they are received; blank: the system temp dir")
    private String spillDirectory = "";

    public SmtpdConfiguration copy() {
        try {
            return (SmtpdConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getBind() {
        return bind;
    }

    public void setBind(String bind) {
        this.bind = bind;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public long getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public int getMaxHops() {
        return maxHops;
    }

    public void setMaxHops(int maxHops) {
        this.maxHops = maxHops;
    }

    public int getMaxRecipients() {
        return maxRecipients;
    }

    public void setMaxRecipients(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    public int getMaxLineLength() {
        return maxLineLength;
    }

    public void setMaxLineLength(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    public int getMaxErrors() {
        return maxErrors;
    }

    public void setMaxErrors(int maxErrors) {
        this.maxErrors = maxErrors;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getStressIdleTimeout() {
        return stressIdleTimeout;
    }

    public void setStressIdleTimeout(Duration stressIdleTimeout) {
        this.stressIdleTimeout = stressIdleTimeout;
    }

    public long getMinDataRate() {
        return minDataRate;
    }

    public void setMinDataRate(long minDataRate) {
        this.minDataRate = minDataRate;
    }

    public Duration getMaxSessionTime() {
        return maxSessionTime;
    }

    public void setMaxSessionTime(Duration maxSessionTime) {
        this.maxSessionTime = maxSessionTime;
    }

    public Duration getGreetPause() {
        return greetPause;
    }

    public void setGreetPause(Duration greetPause) {
        this.greetPause = greetPause;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxConnectionsPerClient() {
        return maxConnectionsPerClient;
    }

    public void setMaxConnectionsPerClient(int maxConnectionsPerClient) {
        this.maxConnectionsPerClient = maxConnectionsPerClient;
    }

    public String getTrustedNetworks() {
        return trustedNetworks;
    }

    public void setTrustedNetworks(String trustedNetworks) {
        this.trustedNetworks = trustedNetworks;
    }

    public String getXclientHosts() {
        return xclientHosts;
    }

    public void setXclientHosts(String xclientHosts) {
        this.xclientHosts = xclientHosts;
    }

    public String getRelayDomains() {
        return relayDomains;
    }

    public void setRelayDomains(String relayDomains) {
        this.relayDomains = relayDomains;
    }

    public boolean isVerifyRecipients() {
        return verifyRecipients;
    }

    public void setVerifyRecipients(boolean verifyRecipients) {
        this.verifyRecipients = verifyRecipients;
    }

    public String getRecipientMap() {
        return recipientMap;
    }

    public void setRecipientMap(String recipientMap) {
        this.recipientMap = recipientMap;
    }

    public String getRecipientDelimiter() {
        return recipientDelimiter;
    }

    public void setRecipientDelimiter(String recipientDelimiter) {
        this.recipientDelimiter = recipientDelimiter;
    }

    public BareLineEndings getBareLineEndings() {
        return bareLineEndings;
    }

    public void setBareLineEndings(BareLineEndings bareLineEndings) {
        this.bareLineEndings = bareLineEndings;
    }

    public String getPolicyUri() {
        return policyUri;
    }

    public void setPolicyUri(String policyUri) {
        this.policyUri = policyUri;
    }

    public Duration getPolicyTimeout() {
        return policyTimeout;
    }

    public void setPolicyTimeout(Duration policyTimeout) {
        this.policyTimeout = policyTimeout;
    }

    public int getWorkerThreads() {
        return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
        this.workerThreads = workerThreads;
    }

    public int getWorkerQueueSize() {
        return workerQueueSize;
    }

    public void setWorkerQueueSize(int workerQueueSize) {
        this.workerQueueSize = workerQueueSize;
    }

    public TlsMode getTls() {
        return tls;
    }

    public void setTls(TlsMode tls) {
        this.tls = tls;
    }

    public String getTlsCertificate() {
        return tlsCertificate;
    }

    public void setTlsCertificate(String tlsCertificate) {
        this.tlsCertificate = tlsCertificate;
    }

    public String getTlsKey() {
        return tlsKey;
    }

    public void setTlsKey(String tlsKey) {
        this.tlsKey = tlsKey;
    }

    public String getTlsKeyPassword() {
        return tlsKeyPassword;
    }

    public void setTlsKeyPassword(String tlsKeyPassword) {
        this.tlsKeyPassword = tlsKeyPassword;
    }

    public String getTlsSelfSignedDirectory() {
        return tlsSelfSignedDirectory;
    }

    public void setTlsSelfSignedDirectory(String tlsSelfSignedDirectory) {
        this.tlsSelfSignedDirectory = tlsSelfSignedDirectory;
    }

    public String getTlsProtocols() {
        return tlsProtocols;
    }

    public void setTlsProtocols(String tlsProtocols) {
        this.tlsProtocols = tlsProtocols;
    }

    public String getTlsCiphers() {
        return tlsCiphers;
    }

    public void setTlsCiphers(String tlsCiphers) {
        this.tlsCiphers = tlsCiphers;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public AuthMode getAuth() {
        return auth;
    }

    public void setAuth(AuthMode auth) {
        this.auth = auth;
    }

    public String getAuthUsers() {
        return authUsers;
    }

    public void setAuthUsers(String authUsers) {
        this.authUsers = authUsers;
    }

    public boolean isAuthPlaintext() {
        return authPlaintext;
    }

    public void setAuthPlaintext(boolean authPlaintext) {
        this.authPlaintext = authPlaintext;
    }

    public int getAuthMaxFailures() {
        return authMaxFailures;
    }

    public void setAuthMaxFailures(int authMaxFailures) {
        this.authMaxFailures = authMaxFailures;
    }

    public Duration getAuthFailureWindow() {
        return authFailureWindow;
    }

    public void setAuthFailureWindow(Duration authFailureWindow) {
        this.authFailureWindow = authFailureWindow;
    }

    public Duration getAuthFailureDelay() {
        return authFailureDelay;
    }

    public void setAuthFailureDelay(Duration authFailureDelay) {
        this.authFailureDelay = authFailureDelay;
    }

    public String getSenderLogins() {
        return senderLogins;
    }

    public void setSenderLogins(String senderLogins) {
        this.senderLogins = senderLogins;
    }

    public boolean isSmtpUtf8() {
        return smtpUtf8;
    }

    public void setSmtpUtf8(boolean smtpUtf8) {
        this.smtpUtf8 = smtpUtf8;
    }

    public int getSpillThreshold() {
        return spillThreshold;
    }

    public void setSpillThreshold(int spillThreshold) {
        this.spillThreshold = spillThreshold;
    }

    public String getSpillDirectory() {
        return spillDirectory;
    }

    public void setSpillDirectory(String spillDirectory) {
        this.spillDirectory = spillDirectory;
    }

    public Duration getRouteTimeout() {
        return routeTimeout;
    }

    public void setRouteTimeout(Duration routeTimeout) {
        this.routeTimeout = routeTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }
}
