package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One delivery attempt of one message to one next hop, giving every recipient exactly one outcome. Recipients go
 * in transactions of at most {@code maxRecipients}; the next hop's 452 (too many recipients) sends the rest into
 * another transaction on the same connection. Envelope and bytes go out exactly as received.
 */
final class Delivery {

    private final ConnectionPool pool;
    private final SuspendedHops suspended;
    private final RelaySettings settings;

    Delivery(ConnectionPool pool, SuspendedHops suspended, RelaySettings settings) {
        this.pool = pool;
        this.suspended = suspended;
        this.settings = settings;
    }

    /** Every connection the next hop may have stayed busy: the mail waits, it was not tried. */
    private static final class Busy extends Exception {
        Busy() {
            super(null, null, false, false);
        }
    }

    /**
     * Tries the candidates in order (the MX hosts' addresses, or the one next hop of the transport map or the
     * smarthost) until one takes the connection; a candidate that cannot be reached, or greets with 4xx or 5xx, or
     * is suspended after such failures, sends us to the next. When none can be used, every recipient is deferred
     * with the last reason. When the first usable candidate has no free place, the recipients wait
     * ({@link RecipientOutcome.Status#WAITING}): busy is not a failure, and a later candidate is a worse one.
     */
    List<RecipientOutcome> deliver(List<NextHop> candidates, RelayMessage message, List<MailAddress> recipients) {
        RemoteReply lastFailure = OutboundConnection.local(451, "4.4.3", "no next hop to try");
        NextHop last = null;
        for (NextHop hop : candidates) {
            Optional<RemoteReply> down = message.retryNow() ? Optional.empty() : suspended.suspended(hop);
            if (down.isPresent()) {
                lastFailure = down.get();
                last = hop;
                continue;
            }
            try {
                return deliver(hop, message, recipients);
            } catch (Busy e) {
                return recipients.stream().map(r -> RecipientOutcome.waiting(r, hop, OutboundConnection.local(451,
                        "4.4.5", "all " + settings.maxConnections() + " connections to " + hop + " busy"))).toList();
            } catch (RelayException e) {
                suspended.failed(hop, e.reply());
                lastFailure = e.reply();
                last = hop;
            }
        }
        return all(recipients, last, lastFailure);
    }

    /** One next hop; a RelayException when no session could be had there (the caller tries the next). */
    private List<RecipientOutcome> deliver(NextHop hop, RelayMessage message, List<MailAddress> recipients)
            throws RelayException, Busy {
        try {
            if (!pool.acquire(hop)) {
                throw new Busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayException(OutboundConnection.local(421, "4.3.0", "interrupted while waiting for " + hop));
        }
        List<RecipientOutcome> outcomes = new ArrayList<>();
        List<MailAddress> pending = new ArrayList<>(recipients);
        OutboundConnection connection = null;
        boolean reusable = false;
        try {
            connection = pool.idle(hop);
            boolean reused = connection != null;
            while (true) {
                if (connection == null) {
                    connection = pool.open(hop);
                    suspended.succeeded(hop);
                }
                try {
                    send(connection, hop, message, pending, outcomes);
                    reusable = connection.reusable();
                    break;
                } catch (IOException e) {
                    boolean answered = connection.answeredSinceIdle();
                    connection.close();
                    connection = null;
                    if (reused && !answered) {
                        // a kept connection the server had closed before we used it: once more on a new one. Had it
                        // answered anything, the message might be taken already; then only a later attempt resends
                        reused = false;
                        continue;
                    }
                    outcomes.addAll(all(unfinished(pending, outcomes), hop, OutboundConnection.local(421, "4.4.2",
                            "lost connection with " + hop + ": " + e.getMessage())));
                    break;
                }
            }
        } finally {
            pool.release(hop, connection, reusable);
        }
        return outcomes;
    }

    /** Sends the message to the pending recipients; each one finished is moved from pending to outcomes. */
    private void send(OutboundConnection connection, NextHop hop, RelayMessage message, List<MailAddress> pending,
            List<RecipientOutcome> outcomes) throws IOException {
        if (message.needsSmtpUtf8() && !connection.has("SMTPUTF8")) {
            finish(pending, outcomes, hop, OutboundConnection.local(550, "5.6.7",
                    "SMTPUTF8 is required, but was not offered by " + hop));
            return;
        }
        long limit = connection.sizeLimit();
        if (limit > 0 && message.content().length > limit) {
            finish(pending, outcomes, hop, OutboundConnection.local(552, "5.3.4",
                    "message size " + message.content().length + " exceeds the limit of " + hop + " (" + limit + ")"));
            return;
        }
        while (!pending.isEmpty()) {
            List<MailAddress> batch = new ArrayList<>(pending.subList(0, Math.min(settings.maxRecipients(), pending.size())));
            List<MailAddress> later = transaction(connection, hop, message, batch, outcomes);
            pending.removeAll(batch);
            if (later.size() == batch.size()) { // the server took none: no progress to make here now
                outcomes.addAll(all(later, hop, OutboundConnection.local(452, "4.5.3",
                        hop + " took no recipient of this transaction")));
            } else {
                pending.addAll(0, later);
            }
        }
    }

    /** One MAIL transaction, pipelined; returns the recipients the server asked to send in another one (452). */
    private List<MailAddress> transaction(OutboundConnection connection, NextHop hop, RelayMessage message,
            List<MailAddress> batch, List<RecipientOutcome> outcomes) throws IOException {
        List<String> commands = new ArrayList<>();
        commands.add(mailFrom(connection, message));
        for (MailAddress recipient : batch) {
            commands.add("RCPT TO:<" + recipient + ">");
        }
        commands.add("DATA");
        List<RemoteReply> replies = connection.pipeline(commands);
        RemoteReply mail = replies.get(0);
        RemoteReply data = replies.get(replies.size() - 1);
        List<MailAddress> later = new ArrayList<>();
        List<MailAddress> accepted = new ArrayList<>();
        if (!mail.isPositive()) {
            outcomes.addAll(all(batch, hop, mail));
        } else {
            for (int i = 0; i < batch.size(); i++) {
                RemoteReply rcpt = replies.get(i + 1);
                if (rcpt.isPositive()) {
                    accepted.add(batch.get(i));
                } else if (rcpt.code() == 452 || rcpt.code() == 552) {
                    // too many recipients; RFC 5321 §4.5.3.1.10 asks that an old server's 552 be taken as 452
                    later.add(batch.get(i));
                } else {
                    outcomes.add(RecipientOutcome.of(batch.get(i), hop, rcpt));
                }
            }
        }
        if (data.code() == 354) {
            // with nothing accepted the server should have refused DATA; an empty message ends it cleanly
            RemoteReply done = connection.data(accepted.isEmpty() ? new byte[0] : message.content());
            outcomes.addAll(all(accepted, hop, done)); // the end of data ends the transaction, whatever the reply
            connection.transactionDone();
        } else if (data.code() >= 400) {
            outcomes.addAll(all(accepted, hop, data));
            connection.command("RSET");
        } else {
            // DATA answered with anything but 354 and not refused: the dialogue is out of step. The message was
            // not sent, so nothing may count as delivered; the connection cannot be trusted any more
            outcomes.addAll(all(accepted, hop, OutboundConnection.local(451, "4.5.0",
                    "protocol error: " + hop + " answered DATA with " + data)));
            throw new IOException("protocol error: DATA answered with " + data);
        }
        return later;
    }

    private static String mailFrom(OutboundConnection connection, RelayMessage message) {
        StringBuilder command = new StringBuilder("MAIL FROM:<").append(message.sender()).append('>');
        if (connection.has("SIZE")) {
            command.append(" SIZE=").append(message.content().length);
        }
        if ("8BITMIME".equals(message.bodyType()) && connection.has("8BITMIME")) {
            command.append(" BODY=8BITMIME");
        }
        if (message.needsSmtpUtf8()) {
            command.append(" SMTPUTF8");
        }
        return command.toString();
    }

    /** Recipients still waiting: those with no outcome yet in this attempt. */
    private static List<MailAddress> unfinished(List<MailAddress> pending, List<RecipientOutcome> outcomes) {
        List<MailAddress> unfinished = new ArrayList<>(pending);
        for (RecipientOutcome outcome : outcomes) {
            unfinished.remove(outcome.recipient());
        }
        return unfinished;
    }

    private static void finish(List<MailAddress> pending, List<RecipientOutcome> outcomes, NextHop hop,
            RemoteReply reply) {
        outcomes.addAll(all(pending, hop, reply));
        pending.clear();
    }

    private static List<RecipientOutcome> all(List<MailAddress> recipients, NextHop hop, RemoteReply reply) {
        List<RecipientOutcome> outcomes = new ArrayList<>(recipients.size());
        for (MailAddress recipient : recipients) {
            outcomes.add(RecipientOutcome.of(recipient, hop, reply));
        }
        return outcomes;
    }
}
