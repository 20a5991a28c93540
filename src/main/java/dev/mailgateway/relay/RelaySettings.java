package dev.mailgateway.relay;

import dev.mailgateway.mail.LocalHost;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;

/**
 * How the relay talks to next hops. Every step has a time limit (Postfix's smtp_*_timeout defaults): connect,
 * greeting, each command's reply, each write, and the reply to the end of the data; a reply must arrive whole
 * within its limit, not merely a byte at a time.
 *
 * @param heloName         the name in our EHLO
 * @param maxRecipients    recipients per transaction (RFC 5321 asks servers to take at least 100; Postfix sends 50)
 * @param maxConnections   connections per next-hop address at once
 * @param placeWait        how long a delivery waits for one of those connections before its mail goes back to the
 *                         queue for a little while
 * @param maxReuse         transactions per connection before it is closed
 * @param idleTimeout      how long an unused connection is kept for the next message
 * @param greetingTimeout  for the server's greeting (a tarpit waits here)
 * @param commandTimeout   for each other reply but the last, and for each write
 * @param dataTimeout      for the reply to the end of the data
 * @param tls              client TLS contexts: unverified for may/encrypt, verifying for verify
 */
public record RelaySettings(String heloName, int maxRecipients, int maxConnections, Duration placeWait, int maxReuse,
        Duration idleTimeout, Duration connectTimeout, Duration greetingTimeout, Duration commandTimeout,
        Duration dataTimeout, ClientTls tls) {

    /** The settings a relay configuration describes (delivery and recipient verification use the same). */
    static RelaySettings of(SmtpRelayConfiguration config, CamelContext context)
            throws IOException, GeneralSecurityException {
        ClientTls tls = config.getSslContextParameters() != null
                ? ClientTls.of(config.getSslContextParameters().createSSLContext(context), config.getTlsProtocols())
                : ClientTls.of(config.getTlsCaFile(), config.getTlsProtocols());
        return new RelaySettings(LocalHost.name(config.getHeloName()), config.getMaxRecipients(),
                config.getMaxConnectionsPerDestination(), config.getDestinationWait(), config.getMaxReuse(),
                config.getIdleTimeout(), config.getConnectTimeout(), config.getGreetingTimeout(),
                config.getCommandTimeout(), config.getDataTimeout(), tls);
    }

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
