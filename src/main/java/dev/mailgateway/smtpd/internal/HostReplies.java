package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.SmtpReply;
import java.util.ArrayList;
import java.util.List;

/** The replies that name this host or its limits: the greeting, EHLO, HELO and the ones that end a session. */
public record HostReplies(SmtpReply greeting, List<SmtpReply> ehloVariants, SmtpReply helo,
        SmtpReply sizeExceeded, SmtpReply timeout, SmtpReply tooManyErrors, SmtpReply tooManyConnections,
        SmtpReply tooManyFromClient, SmtpReply shuttingDown, SmtpReply busy, SmtpReply spokeTooEarly,
        SmtpReply tooManyAuthFailures, SmtpReply sessionTooLong, SmtpReply internalError) {

    public static HostReplies forHost(String hostname, long maxMessageSize, boolean smtpUtf8) {
        List<SmtpReply> ehlo = new ArrayList<>();
        for (int variant = 0; variant < 4; variant++) {
            ehlo.add(ehlo(hostname, maxMessageSize, (variant & 1) != 0, (variant & 2) != 0, smtpUtf8));
        }
        return new HostReplies(
                SmtpReply.withoutStatus(220, hostname + " ESMTP"),
                List.copyOf(ehlo),
                SmtpReply.withoutStatus(250, hostname),
                SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit of " + maxMessageSize + " bytes"),
                SmtpReply.of(421, "4.4.2", hostname + " Error: timeout exceeded"),
                SmtpReply.of(421, "4.7.0", hostname + " Error: too many errors"),
                SmtpReply.of(421, "4.7.0", hostname + " Error: too many connections"),
                SmtpReply.of(421, "4.7.0", hostname + " Error: too many connections from your address"),
                SmtpReply.of(421, "4.3.2", hostname + " Service shutting down, closing transmission channel"),
                SmtpReply.of(421, "4.3.2", hostname + " System busy, try again later"),
                SmtpReply.of(554, "5.5.1", hostname + " Error: you spoke before the greeting"),
                SmtpReply.of(421, "4.7.0", hostname + " Error: too many failed authentication attempts"),
                SmtpReply.of(421, "4.4.2", hostname + " Error: session time limit exceeded"),
                SmtpReply.of(421, "4.3.0", hostname + " Error: internal error, closing connection"));
    }

    private static SmtpReply ehlo(String hostname, long maxMessageSize, boolean startTls, boolean auth,
            boolean smtpUtf8) {
        List<String> lines = new ArrayList<>(List.of(hostname, "PIPELINING", "SIZE " + maxMessageSize));
        if (startTls) {
            lines.add("STARTTLS");
        }
        if (auth) {
            lines.add("AUTH PLAIN LOGIN");
        }
        lines.addAll(List.of("ENHANCEDSTATUSCODES", "8BITMIME", "CHUNKING"));
        if (smtpUtf8) {
            lines.add("SMTPUTF8");
        }
        return SmtpReply.multiline(250, null, lines);
    }

    /** Whether EHLO lists SMTPUTF8 (the listener takes UTF-8 addresses). */
    public boolean offersSmtpUtf8() {
        return ehloVariants.get(0).lines().contains("SMTPUTF8");
    }

    /** The EHLO answer: STARTTLS only on a plain-text session that may upgrade, AUTH only where it is allowed. */
    public SmtpReply ehlo(boolean offerStartTls, boolean offerAuth) {
        return ehloVariants.get((offerStartTls ? 1 : 0) + (offerAuth ? 2 : 0));
    }
}
