package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP client connection to a next hop, blocking, used by one delivery at a time: greeting, EHLO (HELO when
 * EHLO is refused), STARTTLS as the next hop's policy says, AUTH PLAIN for a smarthost (only over verified TLS,
 * or encrypted TLS when the operator said so). Commands can be pipelined when the server offers PIPELINING.
 * Each reply must be complete within its time limit ({@link ReplyDeadline}); writes, which a socket timeout does
 * not bound, are cut by a watchdog when one stalls ({@link WriteDeadline}): a server that stops talking or reading
 * must not hold a delivery thread for ever.
 */
final class OutboundConnection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundConnection.class);

    private final NextHop hop;
    private final RelaySettings settings;
    /** Volatile: another thread may {@link #close} the connection to cut a conversation short. */
    private volatile Socket socket;
    private volatile boolean closed;
    private InputStream in;
    private ReplyDeadline deadline;
    private OutputStream out;
    private final Map<String, String> extensions = new HashMap<>();
    private String tls;
    /** The server said 421: it is closing the session, whatever else it answers. */
    private boolean closing;
    private int transactions;
    private long idleSince;
    /** Replies read since the connection was taken from the pool for this delivery. */
    private int repliesSinceIdle;
    /** The text lines of the last reply (EHLO keywords are read from them). */
    private List<String> lastLines = List.of();

    private OutboundConnection(NextHop hop, RelaySettings settings) {
        this.hop = hop;
        this.settings = settings;
    }

    /**
     * Connects and gets the connection ready for MAIL.
     *
     * @throws RelayException when the next hop cannot be used for this attempt (the reply says why)
     */
    static OutboundConnection open(NextHop hop, RelaySettings settings) throws RelayException {
        return open(hop, settings, connection -> { });
    }

    /**
     * {@link #open(NextHop, RelaySettings)}, showing {@code opening} each connection before it connects, so that
     * another thread can {@link #close} it to end the attempt at once (a deadline of the caller's own).
     */
    static OutboundConnection open(NextHop hop, RelaySettings settings, Consumer<OutboundConnection> opening)
            throws RelayException {
        try {
            return openOnce(hop, settings, hop.tls(), opening);
        } catch (TlsFailed e) {
            LOG.info("TLS with {} failed ({}); policy may: trying again in plain text", hop, e.getMessage());
        }
        try {
            return openOnce(hop, settings, TlsPolicy.NONE, opening);
        } catch (TlsFailed cannotHappen) { // no TLS is tried in plain text
            throw new RelayException(local(454, "4.7.5", cannotHappen.getMessage()));
        }
    }

    private static final class TlsFailed extends Exception {
        TlsFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static OutboundConnection openOnce(NextHop hop, RelaySettings settings, TlsPolicy tls,
            Consumer<OutboundConnection> opening) throws RelayException, TlsFailed {
        OutboundConnection connection = new OutboundConnection(hop, settings);
        opening.accept(connection);
        try {
            connection.connect();
            connection.greet(tls);
            connection.authenticate();
            return connection;
        } catch (SSLException e) {
            connection.close();
            if (tls == TlsPolicy.MAY) {
                throw new TlsFailed(e);
            }
            throw new RelayException(local(454, "4.7.5", "TLS with " + hop + " failed"
                    + (tls == TlsPolicy.VERIFY ? " (certificate verification required): " : ": ") + e.getMessage()));
        } catch (SocketTimeoutException e) {
            connection.close();
            throw new RelayException(local(421, "4.4.2", "timed out talking to " + hop));
        } catch (IOException e) {
            connection.close();
            throw new RelayException(local(421, "4.4.1", "connect to " + hop + " failed: " + e.getMessage()));
        } catch (RelayException e) {
            connection.quitQuietly();
            throw e;
        }
    }

    static RemoteReply local(int code, String status, String text) {
        return new RemoteReply(code, status, text);
    }

    private void connect() throws IOException, RelayException {
        socket = new Socket();
        if (closed) { // closed by another thread before there was a socket to close
            socket.close();
            throw new SocketException("closed before connecting");
        }
        socket.connect(new InetSocketAddress(hop.host(), hop.port()), (int) settings.connectTimeout().toMillis());
        socket.setTcpNoDelay(true);
        streams();
        RemoteReply greeting = read(settings.greetingTimeout());
        if (!greeting.isPositive()) {
            // a 5xx greeting is the server's state, not a verdict on the mail: try later (Postfix does too)
            throw new RelayException(local(421, greeting.code() >= 500 ? "4.3.0" : greeting.dsnStatus(),
                    hop + " refused to talk to me: " + greeting));
        }
    }

    private void streams() throws IOException {
        // the TLS handshake reads through the plain socket: bound it as a command's reply is
        socket.setSoTimeout((int) settings.commandTimeout().toMillis());
        deadline = new ReplyDeadline(socket.getInputStream(), socket);
        in = new BufferedInputStream(deadline, 8192);
        out = new BufferedOutputStream(new WriteDeadline(socket.getOutputStream(), socket, settings.commandTimeout()),
                65536);
    }

    /** Whether STARTTLS protects this connection. */
    boolean isTls() {
        return tls != null;
    }

    private void greet(TlsPolicy policy) throws IOException, RelayException {
        ehlo();
        if (policy != TlsPolicy.NONE && extensions.containsKey("STARTTLS")) {
            RemoteReply ready = command("STARTTLS");
            if (ready.code() != 220) {
                if (policy.required()) {
                    throw new RelayException(local(454, "4.7.4", hop + " refused STARTTLS: " + ready));
                }
                return;
            }
            SSLSocket secure = settings.tls().start(socket, hop);
            socket = secure;
            streams();
            tls = secure.getSession().getProtocol() + " " + secure.getSession().getCipherSuite();
            ehlo();
        } else if (policy.required()) {
            throw new RelayException(local(454, "4.7.4", "TLS is required, but was not offered by " + hop));
        }
    }

    private void ehlo() throws IOException, RelayException {
        extensions.clear();
        RemoteReply reply = command("EHLO " + settings.heloName());
        if (reply.code() >= 500) {
            reply = command("HELO " + settings.heloName());
        } else if (reply.isPositive()) {
            for (String line : lastLines.subList(1, lastLines.size())) {
                int space = line.indexOf(' ');
                extensions.put((space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT),
                        space < 0 ? "" : line.substring(space + 1));
            }
        }
        if (!reply.isPositive()) {
            throw new RelayException(local(421, "4.3.0", hop + " refused our HELO: " + reply));
        }
    }

    private void authenticate() throws IOException, RelayException {
        if (hop.username() == null) {
            return;
        }
        if (tls == null || !hop.tls().required()) {
            // never in plain text, never over TLS we might have fallen back from; "encrypt" without "verify" only
            // when the operator wrote it (the relay warns at start)
            throw new RelayException(local(454, "4.7.0", "not sending a password to " + hop + " without required TLS"));
        }
        String plain = Base64.getEncoder().encodeToString(("\0" + hop.username() + "\0" + hop.password())
                .getBytes(StandardCharsets.UTF_8));
        RemoteReply reply = command("AUTH PLAIN " + plain);
        if (!reply.isPositive()) {
            // our credentials, not the mail, are wrong: keep the mail and try again, as Postfix does
            throw new RelayException(local(454, "4.7.0", "AUTH with " + hop + " failed: " + reply));
        }
    }

    boolean has(String extension) {
        return extensions.containsKey(extension);
    }

    /** The SIZE the server announced, 0 when none. */
    long sizeLimit() {
        try {
            return Long.parseLong(extensions.getOrDefault("SIZE", "0").strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    RemoteReply command(String line) throws IOException {
        send(line);
        out.flush();
        return read(settings.commandTimeout());
    }

    /** Sends every command, then reads every reply (RFC 2920); one at a time when PIPELINING is not offered. */
    List<RemoteReply> pipeline(List<String> commands) throws IOException {
        List<RemoteReply> replies = new ArrayList<>(commands.size());
        if (has("PIPELINING")) {
            for (String command : commands) {
                send(command);
            }
            out.flush();
            for (int i = 0; i < commands.size(); i++) {
                replies.add(read(settings.commandTimeout()));
            }
        } else {
            for (String command : commands) {
                replies.add(command(command));
            }
        }
        return replies;
    }

    /**
     * The envelope of a transaction whose message is never sent: MAIL and one RCPT per recipient, pipelined when
     * the server offers PIPELINING; their replies in the same order. No DATA follows: end it with {@link #reset}.
     *
     * @param mail the whole MAIL command, parameters included
     */
    List<RemoteReply> envelope(String mail, List<MailAddress> recipients) throws IOException {
        List<String> commands = new ArrayList<>(recipients.size() + 1);
        commands.add(mail);
        for (MailAddress recipient : recipients) {
            commands.add("RCPT TO:<" + recipient + ">");
        }
        return pipeline(commands);
    }

    /** RSET: the transaction is abandoned, nothing of it delivered; the session may go on. */
    RemoteReply reset() throws IOException {
        return command("RSET");
    }

    /** The message after a 354, and the reply to its end, which may take long (RFC 5321 §4.5.3.2.6: 10 min). */
    RemoteReply data(byte[] content) throws IOException {
        DotStuffer.write(content, out);
        out.flush();
        return read(settings.dataTimeout());
    }

    void transactionDone() {
        transactions++;
    }

    int transactions() {
        return transactions;
    }

    void idle() {
        idleSince = System.nanoTime();
        repliesSinceIdle = 0;
    }

    /** Whether the server has answered anything since the connection was last put aside. */
    boolean answeredSinceIdle() {
        return repliesSinceIdle > 0;
    }

    /** Whether the session may serve another transaction: the server has not said it is closing (421). */
    boolean reusable() {
        return !closing;
    }

    /**
     * Whether a kept connection is known to be finished: closed, or the server said something unasked (a 421
     * before it hung up, typically). Cheap: no round trip; a connection that passes may still be dead.
     */
    boolean stale() {
        try {
            return socket.isClosed() || in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    long idleNanos() {
        return System.nanoTime() - idleSince;
    }

    private void send(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    private RemoteReply read(java.time.Duration limit) throws IOException {
        deadline.start(limit);
        List<String> lines = new ArrayList<>();
        int code;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2))) {
                throw new IOException("not an SMTP reply from " + hop + ": " + line);
            }
            code = Integer.parseInt(line.substring(0, 3));
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        lastLines = lines;
        repliesSinceIdle++;
        closing |= code == 421;
        return RemoteReply.parse(code, String.join(" ", lines).strip());
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by " + hop);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() > 4096) {
                throw new IOException("reply line too long from " + hop);
            }
            line.write(b);
        }
    }

    void quitQuietly() {
        try {
            if (socket != null && !socket.isClosed()) {
                command("QUIT");
            }
        } catch (IOException ignored) {
            // going away anyway
        }
        close();
    }

    /** Closes the socket; safe from another thread, where it makes a read or write under way fail at once. */
    @Override
    public void close() {
        closed = true;
        try {
            Socket open = socket;
            if (open != null) {
                open.close();
            }
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
