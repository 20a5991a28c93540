package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;

/**
 * What became of one recipient in one delivery attempt.
 *
 * @param nextHop where it was tried, or null when no next hop was found
 * @param reply   the next hop's reply, or our own account of a local problem (4xx: try again, 5xx: give up)
 */
public record RecipientOutcome(MailAddress recipient, Status status, NextHop nextHop, RemoteReply reply) {

    public enum Status {
        /** The next hop took it (2xx after the data). */
        DELIVERED,
        /** Try again later: a 4xx, a reply out of protocol, or the next hop could not be reached. */
        DEFERRED,
        /** Will not be delivered: a 5xx. */
        FAILED,
        /**
         * Not tried: every connection its next hop may have was busy. Goes back to its lane shortly; no attempt is
         * counted (Postfix's queue manager keeps such mail waiting in memory; we keep it in the broker).
         */
        WAITING
    }

    static RecipientOutcome of(MailAddress recipient, NextHop hop, RemoteReply reply) {
        // only a 5xx gives up: anything that is neither 2xx nor 5xx (a 3xx out of place, say) is tried again
        Status status = reply.isPositive() ? Status.DELIVERED : reply.isPermanent() ? Status.FAILED : Status.DEFERRED;
        return new RecipientOutcome(recipient, status, hop, reply);
    }

    static RecipientOutcome waiting(MailAddress recipient, NextHop hop, RemoteReply reason) {
        return new RecipientOutcome(recipient, Status.WAITING, hop, reason);
    }
}
