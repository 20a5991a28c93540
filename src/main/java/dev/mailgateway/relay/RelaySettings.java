package dev.mailgateway.relay;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * How the relay talks to next hops.
 *
 * @param heloName         the name in our EHLO
 * @param maxRecipients    recipients per transaction (RFC 5321 asks servers to take at least 100; Postfix sends 50)
 * @param maxConnections   connections per next hop at once
 * @param maxReuse         transactions per connection before it is closed
 * @param idleTimeout      how long an unused connection is kept for the next message
 * @param tlsContext       the client TLS context (opportunistic TLS does not verify certificates, RFC 7435)
 */
public record RelaySettings(String heloName, int maxRecipients, int maxConnections, int maxReuse,
        Duration idleTimeout, Duration connectTimeout, Duration commandTimeout, Duration dataTimeout,
        SSLContext tlsContext, String[] tlsProtocols) {

    /** A client context that takes any certificate: "may" and "encrypt" encrypt, they do not authenticate. */
    public static SSLContext unverifiedTls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
