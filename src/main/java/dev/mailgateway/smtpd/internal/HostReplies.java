package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.SmtpReply;
import java.util.List;

/** The replies that name this host or its limits: the greeting, EHLO, HELO and the ones that end a session. */
public record HostReplies(SmtpReply greeting, SmtpReply ehlo, SmtpReply helo, SmtpReply sizeExceeded,
        SmtpReply timeout, SmtpReply tooManyErrors,
        SmtpReply tooManyConnections, SmtpReply tooManyFromClient, SmtpReply shuttingDown, SmtpReply busy,
        SmtpReply spokeTooEarly) {

    public static HostReplies forHost(String hostname, long maxMessageSize) {
        return new HostReplies(
                SmtpReply.withoutStatus(220, hostname + " ESMTP"),
                SmtpReply.multiline(250, null, List.of(hostname, "PIPELINING", "SIZE " + maxMessageSize,
                        "8BITMIME", "ENHANCEDSTATUSCODES")),
                SmtpReply.withoutStatus(250, hostname),
                SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit of " + maxMessageSize + " bytes"),
                SmtpReply.of(421, "4.4.2", hostname + " Error: timeout exceeded"),
                SmtpReply.of(421, "4.7.0", hostname + " Error: too many errors"),
                SmtpReply.of(421, "4.7.0", hostname + " Error: too many connections"),
                SmtpReply.of(421, "4.7.0", hostname + " Error: too many connections from your address"),
                SmtpReply.of(421, "4.3.2", hostname + " Service shutting down, closing transmission channel"),
                SmtpReply.of(421, "4.3.2", hostname + " System busy, try again later"),
                SmtpReply.of(554, "5.5.1", hostname + " Error: you spoke before the greeting"));
    }
}
