package dev.mailgateway.smtpd.internal;

import dev.mailgateway.policy.NetworkList;
import dev.mailgateway.policy.PolicyChain;
import java.time.Duration;

/** What one listener needs to know, resolved and checked once when it starts. */
public record ListenerSettings(
        String name,
        String hostname,
        long maxMessageSize,
        int maxRecipients,
        int maxLineLength,
        int maxErrors,
        TimeLimits timeLimits,
        Duration greetPause,
        NetworkList trustedNetworks,
        BareLineEndings bareLineEndings,
        int maxConnections,
        int maxConnectionsPerClient,
        PolicyChain policy,
        HostReplies replies,
        ServerTls tls,
        AuthSettings auth,
        SpillSettings spill,
        NetworkList xclientHosts) {

    /** Refuses settings that would make a listener unsafe or broken, with a message naming the option. */
    public ListenerSettings {
        require(!hostname.isBlank() && hostname.chars().allMatch(c -> c > 32 && c < 127), "hostname", hostname);
        // The message is held in one array until large messages spill to disk.
        require(maxMessageSize > 0 && maxMessageSize <= Integer.MAX_VALUE - (1 << 20), "maxMessageSize",
                maxMessageSize);
        require(maxRecipients > 0, "maxRecipients", maxRecipients);
        require(maxLineLength >= 512, "maxLineLength (RFC 5321 needs 512)", maxLineLength);
        require(maxErrors > 0, "maxErrors", maxErrors);
        require(!greetPause.isNegative(), "greetPause", greetPause);
        require(maxConnections > 0, "maxConnections", maxConnections);
        require(maxConnectionsPerClient > 0, "maxConnectionsPerClient", maxConnectionsPerClient);
    }

    private static void require(boolean ok, String option, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("smtpd: invalid " + option + ": " + value);
        }
    }
}
