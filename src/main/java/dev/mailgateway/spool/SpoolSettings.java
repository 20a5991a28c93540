package dev.mailgateway.spool;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the gateway reaches its spool.
 *
 * @param brokerUrl       an external broker ({@code failover:(tcp://host:61616)}); blank: the embedded one
 * @param dataDirectory   where the embedded broker keeps KahaDB and its scheduler store
 * @param embeddedListen  a transport the embedded broker also listens on (other gateways may share it); blank: none
 * @param archive         whether mail.spool also fills mail.archive
 * @param sendTimeout     how long a send may wait for the broker before it fails (and the client hears 451)
 * @param memoryLimit     the embedded broker's memory for messages; beyond it they wait on disk
 * @param maxConnections  pooled connections (concurrent senders and consumers each want their own)
 * @param username        broker user; the embedded broker's is {@code gateway} when none is configured
 * @param password        its password; the embedded broker's is made up at start when none is configured
 */
public record SpoolSettings(String brokerUrl, Path dataDirectory, String embeddedListen, boolean archive,
        Duration sendTimeout, long memoryLimit, int maxConnections, String username, String password) {

    /** The same settings with these broker credentials. */
    public SpoolSettings withCredentials(String user, String secret) {
        return new SpoolSettings(brokerUrl, dataDirectory, embeddedListen, archive, sendTimeout, memoryLimit,
                maxConnections, user, secret);
    }

    public boolean embedded() {
        return brokerUrl == null || brokerUrl.isBlank();
    }

    /**
     * The credentials the embedded broker requires on every connector, never none. When it listens for other
     * gateways ({@code gateway.broker.listen}) they must know them: both have to be configured. Otherwise only this
     * JVM and the queue tools (through admin.properties) use them: a blank user is {@code gateway}, a blank password
     * is made up anew.
     *
     * @throws IllegalStateException when the broker listens and the user or the password is blank
     */
    public SpoolSettings withEmbeddedCredentials() {
        if (!isBlank(embeddedListen) && (isBlank(username) || isBlank(password))) {
            throw new IllegalStateException("gateway.broker.listen is " + embeddedListen + " but gateway.broker."
                    + (isBlank(username) ? "username" : "password") + " is empty: other gateways reach this broker "
                    + "over the network, so set both gateway.broker.username and gateway.broker.password "
                    + "(GATEWAY_BROKER_USERNAME, GATEWAY_BROKER_PASSWORD); the broker never allows anonymous access");
        }
        return withCredentials(isBlank(username) ? "gateway" : username,
                isBlank(password) ? AdminAccess.newPassword() : password);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
