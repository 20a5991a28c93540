package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.QueueId;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.PolicyResult;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.smtpd.internal.command.CommandTable;
import dev.mailgateway.smtpd.internal.command.SmtpCommand;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state of one SMTP session: greeting, HELO/EHLO, the mail transaction, message data, and the
 * limits that end a session. Commands (one class per verb, in {@code command/}) act on it. Runs on the
 * connection's event loop only; policy checks and the route answer later through {@link SmtpConnection#onLoop}.
 */
public final class SmtpSession {

    /** Postfix-style log lines an operator greps by queue id or client: one logger for the listener. */
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.smtpd");

    private static final InputReader PREGREET = (in, session) -> {
        in.skipBytes(in.readableBytes());
        session.spokeTooEarly();
        return false;
    };

    private final ListenerSettings settings;
    private final SmtpConnection connection;
    private final MessageDelivery delivery;
    private final InetSocketAddress client;
    private final boolean trustedClient;
    private final CommandReader commandReader;

    private String helo;
    private boolean esmtp;
    private Transaction transaction;
    private String queueId;
    private MessageBuffer message;
    private int errors;
    private boolean noService;
    private boolean draining;

    SmtpSession(ListenerSettings settings, SmtpConnection connection, MessageDelivery delivery,
            InetSocketAddress client) {
        this.settings = settings;
        this.connection = connection;
        this.delivery = delivery;
        this.client = client;
        this.trustedClient = settings.trustedNetworks().contains(client.getAddress());
        this.commandReader = new CommandReader(settings.maxLineLength());
    }

    // ---- connection events ----

    void start() {
        LOG.debug("connect from {}", clientText());
        connection.setReader(commandReader);
        check(query(Stage.CONNECT, null, null, null), this::afterConnectCheck, this::refuseConnection);
    }

    private void afterConnectCheck() {
        if (settings.greetPause().isZero() || trustedClient) {
            connection.write(settings.replies().greeting());
            return;
        }
        connection.setReader(PREGREET);
        connection.schedule(() -> {
            connection.setReader(commandReader);
            connection.write(settings.replies().greeting());
        }, settings.greetPause());
    }

    private void refuseConnection(SmtpReply refusal) {
        LOG.info("NOQUEUE: reject: CONNECT from {}: {}", clientText(), refusal);
        if (refusal.isTransient()) {
            connection.writeAndClose(SmtpReply.of(421, refusal.status(), refusal.text()));
        } else {
            noService = true; // RFC 5321 §3.1: 554 greeting, then wait for QUIT
            connection.write(refusal);
        }
    }

    private void spokeTooEarly() {
        LOG.info("NOQUEUE: reject: CONNECT from {}: client spoke before the greeting", clientText());
        connection.writeAndClose(settings.replies().spokeTooEarly());
    }

    void command(String line) {
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        SmtpCommand command = CommandTable.find(verb);
        if (noService && command != CommandTable.QUIT) {
            reply(Replies.NO_SERVICE);
        } else if (command == null) {
            LOG.debug("{}: unknown command: {}", clientText(), verb);
            reply(Replies.UNKNOWN_COMMAND);
        } else {
            command.execute(this, argument);
        }
        closeIfDraining();
    }

    void lineTooLong() {
        reply(Replies.LINE_TOO_LONG);
    }

    void timedOut() {
        LOG.info("timeout after {} from {}", transaction == null ? "command" : "transaction", clientText());
        connection.writeAndClose(settings.replies().timeout());
    }

    void drain() {
        draining = true;
        closeIfDraining();
    }

    /** Shutting down: a session waiting for a command gets 421 now; one mid-message first gets its answer. */
    private void closeIfDraining() {
        if (draining && !connection.isPaused() && message == null) {
            connection.writeAndClose(settings.replies().shuttingDown());
        }
    }

    void closed() {
        message = null;
        LOG.debug("disconnect from {}", clientText());
    }

    // ---- what commands use ----

    public ListenerSettings settings() {
        return settings;
    }

    /** Sends a reply; counts errors and ends the session on 421 or when the client made too many. */
    public void reply(SmtpReply reply) {
        if (reply.closesConnection()) {
            connection.writeAndClose(reply);
            return;
        }
        connection.write(reply);
        if (reply.code() >= 400 && ++errors >= settings.maxErrors()) {
            LOG.info("too many errors from {}", clientText());
            connection.writeAndClose(settings.replies().tooManyErrors());
        }
    }

    /** Asks the policy chain; runs {@code onPass} or sends the refusal, now or when the answer comes. */
    public void check(PolicyQuery query, Runnable onPass, Consumer<SmtpReply> onRefuse) {
        CompletableFuture<PolicyResult> answer = settings.policy().evaluate(query).toCompletableFuture();
        if (answer.isDone()) {
            decide(answer, onPass, onRefuse);
            return;
        }
        connection.pause();
        answer.whenComplete((result, error) -> connection.onLoop(() -> {
            connection.resume();
            decide(answer, onPass, onRefuse);
            closeIfDraining();
        }));
    }

    private void decide(CompletableFuture<PolicyResult> answer, Runnable onPass, Consumer<SmtpReply> onRefuse) {
        PolicyResult result = answer.isCompletedExceptionally() ? null : answer.join();
        if (result == null) {
            onRefuse.accept(SmtpReply.of(451, "4.3.5", "Server configuration problem"));
        } else if (result.isRefused()) {
            onRefuse.accept(result.refusal());
        } else {
            onPass.run();
        }
    }

    /** The reply for a refusal by policy, logged as Postfix logs restriction rejects. */
    public void refuse(Stage stage, SmtpReply refusal, MailAddress recipient) {
        LOG.info("NOQUEUE: reject: {} from {}: {}; from=<{}> to=<{}> helo=<{}>", stage, clientText(), refusal,
                transaction == null ? "" : transaction.sender(), recipient == null ? "" : recipient,
                helo == null ? "" : helo);
        reply(refusal);
    }

    public PolicyQuery queryHelo(String name) {
        return query(Stage.HELO, name, null, null);
    }

    public PolicyQuery queryMail(MailAddress sender) {
        return query(Stage.MAIL, helo, sender, null);
    }

    public PolicyQuery queryRcpt(MailAddress recipient) {
        return query(Stage.RCPT, helo, transaction.sender(), recipient);
    }

    private PolicyQuery query(Stage stage, String heloName, MailAddress sender, MailAddress recipient) {
        return new PolicyQuery(stage, settings.name(), client, heloName, sender,
                transaction == null ? List.of() : transaction.recipients(), recipient, null);
    }

    public String helo() {
        return helo;
    }

    public void greeted(String name, boolean extended) {
        this.helo = name;
        this.esmtp = extended;
        this.transaction = null;
    }

    public boolean hasTransaction() {
        return transaction != null;
    }

    public void beginTransaction(MailAddress sender, String bodyType, long declaredSize) {
        transaction = new Transaction(sender, bodyType, declaredSize);
    }

    public void resetTransaction() {
        transaction = null;
    }

    public int recipientCount() {
        return transaction.recipients().size();
    }

    public boolean hasRecipient(MailAddress recipient) {
        return transaction.hasRecipient(recipient);
    }

    public void addRecipient(MailAddress recipient) {
        transaction.addRecipient(recipient);
    }

    public void recipientTried() {
        transaction.recipientTried();
    }

    public boolean wasRecipientTried() {
        return transaction.wasRecipientTried();
    }

    public void quit() {
        connection.writeAndClose(Replies.BYE);
    }

    /** Ends a session that is not SMTP at all (an HTTP request sent to the mail port). */
    public void hangUp() {
        LOG.info("NOQUEUE: reject: non-SMTP command from {}, disconnecting", clientText());
        connection.writeAndClose(Replies.FORBIDDEN);
    }

    /** After 354: what follows is message data, read by a {@link DataReader} into a new message. */
    public void startData() {
        queueId = QueueId.next();
        List<MailAddress> recipients = transaction.recipients();
        message = new MessageBuffer(transaction.declaredSize() + 512);
        message.write(ReceivedHeader.build(settings.hostname(), helo, client, protocol(), queueId,
                recipients.size() == 1 ? recipients.get(0) : null, ZonedDateTime.now()));
        connection.setReader(new DataReader(message, settings.maxMessageSize(), settings.bareLineEndings()));
        connection.write(Replies.START_DATA);
    }

    void dataEnded(DataReader data) {
        connection.setReader(commandReader);
        Transaction done = transaction;
        transaction = null;
        MessageBuffer content = message;
        message = null;
        if (data.isTooBig()) {
            LOG.info("{}: reject: DATA from {}: {}; size={}", queueId, clientText(), Replies.TOO_BIG,
                    data.contentSize());
            reply(Replies.TOO_BIG);
            return;
        }
        if (data.hadBareLineEnding() && settings.bareLineEndings() == BareLineEndings.REJECT) {
            LOG.info("{}: reject: DATA from {}: {}", queueId, clientText(), Replies.BARE_LINE_ENDING);
            reply(Replies.BARE_LINE_ENDING);
            return;
        }
        ReceivedMessage received = new ReceivedMessage(queueId, done.envelope(), settings.name(), client, helo,
                protocol(), content.toByteArray());
        connection.pause();
        delivery.deliver(received, reply -> connection.onLoop(() -> {
            connection.resume();
            logOutcome(received, reply);
            reply(reply);
            closeIfDraining();
        }));
    }

    private void logOutcome(ReceivedMessage received, SmtpReply reply) {
        if (reply.isPositive()) {
            LOG.info("{}: from=<{}> to=<{}> size={} client={} helo=<{}>: {}", received.queueId(),
                    received.envelope().sender(), recipientsText(received), received.content().length,
                    clientText(), received.helo(), reply);
        } else {
            LOG.info("{}: reject: DATA from {}: {}; from=<{}>", received.queueId(), clientText(), reply,
                    received.envelope().sender());
        }
    }

    /** {@code a@b>,<c@d}: the log line wraps it in the outer brackets, as Postfix writes to=<...>. */
    private static String recipientsText(ReceivedMessage received) {
        StringBuilder sb = new StringBuilder();
        for (MailAddress recipient : received.envelope().recipients()) {
            sb.append(sb.length() == 0 ? "" : ">,<").append(recipient);
        }
        return sb.toString();
    }

    private String protocol() {
        return esmtp ? "ESMTP" : "SMTP";
    }

    String clientText() {
        return ReceivedHeader.addressLiteral(client) + ":" + client.getPort();
    }
}
