package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.Printable;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.PolicyResult;
import dev.mailgateway.policy.Stage;
import dev.mailgateway.smtpd.internal.command.CommandTable;
import dev.mailgateway.smtpd.internal.command.SmtpCommand;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol state of one SMTP session: greeting, HELO/EHLO, TLS, AUTH, the mail transaction and the message
 * coming in, and the limits that end a session. Commands (one class per verb, in {@code command/}) act on it.
 * Runs on the connection's event loop only; policy checks, password checks, the disk and the route answer later
 * through {@link SmtpConnection#onLoop}.
 */
public final class SmtpSession {

    /**
     * Postfix-style log lines an operator greps by queue id or client: one logger for the listener. What the client
     * chose (HELO, AUTH user, addresses, a verb) goes in through {@link Printable#escape}: one event, one line.
     */
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.smtpd");

    private static final InputReader PREGREET = (in, session) -> {
        in.skipBytes(in.readableBytes());
        session.spokeTooEarly();
        return false;
    };

    private final ListenerSettings settings;
    private final SmtpConnection connection;
    private final MessageDelivery delivery;
    private InetSocketAddress client;
    private boolean trustedClient;
    private final CommandReader commandReader;

    private String helo;
    private boolean esmtp;
    private String authUser;
    private AuthExchange authExchange;
    private Transaction transaction;
    /** A refused BDAT chunk is read and thrown away; this is the answer it gets once read. */
    private SmtpReply chunkRefusal;
    private boolean lastChunk;
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
        if (authExchange != null) {
            authExchange.line(this, line);
            return;
        }
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        SmtpCommand command = CommandTable.find(verb);
        if (noService && command != CommandTable.QUIT) {
            reply(Replies.NO_SERVICE);
        } else if (command == null) {
            LOG.debug("{}: unknown command: {}", clientText(), Printable.escape(verb));
            reply(Replies.UNKNOWN_COMMAND);
        } else {
            command.execute(this, argument);
        }
        closeIfDraining();
    }

    void lineTooLong() {
        if (authExchange != null) {
            authExchange = null;
        }
        reply(Replies.LINE_TOO_LONG);
    }

    void timedOut(SessionTimeout why) {
        LOG.info("timeout {} from {}: {}", stage(), clientText(), why.reason(settings.timeLimits()));
        connection.writeAndClose(why == SessionTimeout.SESSION_TIME ? settings.replies().sessionTooLong()
                : settings.replies().timeout());
    }

    /** Where the session was, for the log: Postfix's "timeout after DATA (12345 bytes)". */
    private String stage() {
        if (receiving()) {
            return "after " + (transaction.isChunked() ? "BDAT" : "DATA") + " ("
                    + transaction.message().filter().contentSize() + " bytes)";
        }
        if (connection.isPaused()) {
            return "while waiting for a check or the route";
        }
        return transaction != null ? "after transaction" : "after command";
    }

    void drain() {
        draining = true;
        closeIfDraining();
    }

    /** Shutting down: a session waiting for a command gets 421 now; one mid-message first gets its answer. */
    void closeIfDraining() {
        if (draining && !connection.isPaused() && !receiving()) {
            connection.writeAndClose(settings.replies().shuttingDown());
        }
    }

    private boolean receiving() {
        return transaction != null && transaction.message() != null;
    }

    void closed() {
        if (receiving()) {
            transaction.message().discard();
        }
        transaction = null;
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
    public void refuse(Stage stage, SmtpReply refusal, MailAddress sender, MailAddress recipient) {
        // the refusal may quote the address back (Relay access denied), so it is escaped too
        LOG.info("NOQUEUE: reject: {} from {}: {}; from=<{}> to=<{}> helo=<{}>", stage, clientText(),
                Printable.escape(refusal.toString()), sender == null ? "" : Printable.escape(sender.toString()),
                recipient == null ? "" : Printable.escape(recipient.toString()),
                helo == null ? "" : Printable.escape(helo));
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
                transaction == null ? List.of() : transaction.recipients(), recipient, authUser, trustedClient);
    }

    public String helo() {
        return helo;
    }

    /** The sender of the transaction in progress. */
    public MailAddress sender() {
        return transaction.sender();
    }

    public void greeted(String name, boolean extended) {
        this.helo = name;
        this.esmtp = extended;
        resetTransaction();
    }

    /** The EHLO answer for this session as it stands (STARTTLS and AUTH come and go with TLS). */
    public SmtpReply ehloReply() {
        SmtpReply reply = settings.replies().ehlo(offersStartTls(), offersAuth());
        if (!mayUseXclient()) {
            return reply;
        }
        List<String> lines = new java.util.ArrayList<>(reply.lines());
        lines.add("XCLIENT ADDR NAME PORT PROTO HELO LOGIN");
        return SmtpReply.multiline(reply.code(), reply.status(), lines);
    }

    // ---- XCLIENT ----

    /**
     * Judged on whom the session is for now: after XCLIENT that is the named client, which may not speak for a third
     * one (unless it is itself listed). A proxy opens a new connection for each client.
     */
    public boolean mayUseXclient() {
        return settings.xclientHosts().contains(client.getAddress());
    }

    /**
     * XCLIENT (Postfix): from here on the session speaks for this client (null: the address stays), with this HELO
     * name and login (null: none), as if it had just connected: the CONNECT checks run again, then a new greeting.
     */
    public void speakFor(java.net.InetAddress address, int port, String heloName, String login) {
        InetSocketAddress was = client;
        client = new InetSocketAddress(address != null ? address : client.getAddress(), port > 0 ? port : client.getPort());
        trustedClient = settings.trustedNetworks().contains(client.getAddress());
        helo = heloName;
        esmtp = false;
        authUser = login;
        resetTransaction();
        LOG.info("XCLIENT from {}: now for {}{}", ReceivedHeader.addressLiteral(was), clientText(),
                login == null ? "" : " as " + Printable.escape(login));
        check(query(Stage.CONNECT, null, null, null), () -> connection.write(settings.replies().greeting()),
                this::refuseConnection);
    }

    // ---- TLS ----

    public boolean isTls() {
        return connection.tls() != null;
    }

    public boolean offersStartTls() {
        return settings.tls().offersStartTls() && !connection.isTlsStarted();
    }

    /** STARTTLS: "220 Ready", then TLS; plain text the client pipelined behind the command is thrown away. */
    public void startTls() {
        connection.write(Replies.READY_FOR_TLS);
        connection.startTls();
        // RFC 3207 §4.2: forget everything learnt before TLS
        helo = null;
        esmtp = false;
        authUser = null;
        resetTransaction();
    }

    /** Whether MAIL must wait for STARTTLS on this listener. */
    public boolean needsTlsFirst() {
        return settings.tls().mode() == TlsMode.REQUIRED && !isTls();
    }

    // ---- AUTH ----

    public boolean offersAuth() {
        return settings.auth().enabled() && (isTls() || settings.auth().plaintextAllowed());
    }

    public boolean isAuthenticated() {
        return authUser != null;
    }

    public boolean needsAuthFirst() {
        return settings.auth().mode() == AuthMode.REQUIRED && authUser == null;
    }

    /** Whether this client already failed too often: then AUTH ends the session. */
    public boolean isAuthBlocked() {
        return settings.auth().throttle().isBlocked(client.getAddress());
    }

    public void beginAuth(AuthExchange exchange) {
        authExchange = exchange;
    }

    /** The exchange has the credentials: {@link PasswordCheck} takes it from here. */
    void verify(String mechanism, String user, String password) {
        authExchange = null;
        new PasswordCheck(this, connection, settings, client).start(mechanism, user, password);
    }

    /** The password was right: the session is now the user's. */
    void authenticatedAs(String user) {
        authUser = user;
    }

    void endAuth(SmtpReply reply) {
        authExchange = null;
        reply(reply);
    }

    // ---- the transaction ----

    public boolean hasTransaction() {
        return transaction != null;
    }

    public void beginTransaction(MailAddress sender, String bodyType, boolean smtpUtf8) {
        transaction = new Transaction(sender, bodyType, smtpUtf8);
    }

    public void resetTransaction() {
        if (receiving()) {
            transaction.message().discard();
        }
        transaction = null;
    }

    public boolean smtpUtf8() {
        return transaction.smtpUtf8();
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

    public boolean isChunking() {
        return receiving() && transaction.isChunked();
    }

    public void quit() {
        connection.writeAndClose(Replies.BYE);
    }

    /** Sends the reply and ends the session: for errors after which client and server cannot agree again. */
    public void replyAndClose(SmtpReply reply) {
        connection.writeAndClose(reply);
    }

    /** Ends a session that is not SMTP at all (an HTTP request sent to the mail port). */
    public void hangUp() {
        LOG.info("NOQUEUE: reject: non-SMTP command from {}, disconnecting", clientText());
        connection.writeAndClose(Replies.FORBIDDEN);
    }

    // ---- message content ----

    /** After 354: what follows is message data up to CRLF.CRLF. */
    public void startData() {
        IncomingMessage message = IncomingMessage.start(settings, transaction, trace(), true);
        transaction.receive(message, false);
        connection.setReader(new DataReader(message.filter()));
        connection.write(Replies.START_DATA);
    }

    /**
     * BDAT: the next {@code size} bytes are a chunk of the message (RFC 3030), or, when the chunk cannot be taken,
     * bytes to read and throw away before answering {@code refusal}.
     */
    public void startChunk(long size, boolean last, SmtpReply refusal) {
        lastChunk = last;
        chunkRefusal = refusal;
        ContentFilter filter = null;
        if (refusal == null) {
            if (transaction.message() == null) {
                transaction.receive(IncomingMessage.start(settings, transaction, trace(), false), true);
            }
            filter = transaction.message().filter();
        }
        if (size == 0) {
            chunkEnded();
        } else {
            connection.setReader(new ChunkReader(filter, size));
        }
    }

    /** Some content was read: when the disk is behind, stop reading until it catches up. */
    void contentReceived() {
        MessageSink sink = transaction.message().sink();
        if (sink.isBackedUp()) {
            connection.pause();
            sink.whenDrained(() -> connection.onLoop(connection::resume));
        }
    }

    /** The end of DATA. */
    void contentEnded() {
        connection.setReader(commandReader);
        finishMessage();
    }

    /** The end of a BDAT chunk. */
    void chunkEnded() {
        connection.setReader(commandReader);
        if (chunkRefusal != null) {
            SmtpReply refusal = chunkRefusal;
            chunkRefusal = null;
            reply(refusal);
            return;
        }
        IncomingMessage message = transaction.message();
        if (lastChunk) {
            message.filter().endOfChunks();
            finishMessage();
        } else if (message.filter().isTooBig()) {
            LOG.info("{}: reject: BDAT from {}: {}; size={}", message.queueId(), clientText(), Replies.TOO_BIG,
                    message.filter().contentSize());
            resetTransaction();
            reply(Replies.TOO_BIG);
        } else {
            reply(Replies.chunkReceived(message.filter().contentSize()));
        }
    }

    private void finishMessage() {
        Transaction done = transaction;
        transaction = null;
        IncomingMessage message = done.message();
        SmtpReply refusal = message.contentRefusal();
        if (refusal != null) {
            LOG.info("{}: reject: {} from {}: {}; size={}", message.queueId(), done.isChunked() ? "BDAT" : "DATA",
                    clientText(), refusal, message.filter().contentSize());
            message.discard();
            reply(refusal);
            return;
        }
        connection.pause();
        CompletableFuture<MessageContent> buffered = message.finish();
        if (buffered.isDone() && !buffered.isCompletedExceptionally()) {
            deliver(done, message, buffered.join()); // here, not in a callback that would swallow what it throws
            return;
        }
        buffered.whenComplete((content, error) -> connection.onLoop(() -> {
            if (error == null) {
                deliver(done, message, content);
                return;
            }
            LOG.error("{}: not queued: the message could not be buffered: {}", message.queueId(), error.toString());
            connection.resume();
            reply(Replies.NOT_QUEUED);
            closeIfDraining();
        }));
    }

    private void deliver(Transaction done, IncomingMessage message, MessageContent content) {
        ReceivedMessage received = new ReceivedMessage(message.queueId(), done.envelope(), settings.name(),
                client, helo, protocol(done.smtpUtf8()), connection.tls(), authUser, trustedClient, content);
        delivery.deliver(received, reply -> connection.onLoop(() -> {
            SessionLog.outcome(received, reply, clientText());
            if (connection.isClosing() && reply.isPositive()) { // cut meanwhile (session time cap) or client gone
                LOG.warn("{}: the client was gone before it heard the 250: it will likely send the message again",
                        received.queueId());
            }
            connection.resume();
            reply(reply);
            closeIfDraining();
        }));
    }

    private IncomingMessage.Trace trace() {
        return new IncomingMessage.Trace(helo, client, protocol(transaction.smtpUtf8()), connection.tls(),
                transaction.smtpUtf8());
    }

    /** RFC 3848 / RFC 6531 "with" keywords: ESMTP, ESMTPS, ESMTPA, ESMTPSA, UTF8SMTP, UTF8SMTPS... */
    private String protocol(boolean smtpUtf8) {
        if (!esmtp) {
            return "SMTP";
        }
        return (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (isTls() ? "S" : "") + (authUser != null ? "A" : "");
    }

    String clientText() {
        return ReceivedHeader.addressLiteral(client) + ":" + client.getPort();
    }
}
