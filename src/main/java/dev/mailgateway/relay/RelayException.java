package dev.mailgateway.relay;

/**
 * A next hop could not be used for this attempt, with the reply that says so for every recipient still waiting:
 * the server's (a 4xx greeting, a failed AUTH) or our own (connection refused, TLS required but not offered).
 */
final class RelayException extends Exception {

    private final RemoteReply reply;

    RelayException(RemoteReply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    RemoteReply reply() {
        return reply;
    }
}
