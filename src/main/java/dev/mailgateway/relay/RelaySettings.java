package dev.mailgateway.relay;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

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
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
