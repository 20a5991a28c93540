package dev.mailgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.relay.RelaySettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A raw SMTP client for protocol tests, in the send/expect style of SubEthaSMTP's tests: it writes exactly the
 * bytes it is given and reads whole (multi-line) replies. Every read has a timeout, so a server that fails to
 * answer fails the test instead of hanging it; a generous one (two minutes), because a gateway in a child JVM on a
 * busy two-core machine can take many seconds to answer, and a passing test never waits for it anyway.
 */
public final class SmtpClient implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 120_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public SmtpClient(int port) throws IOException {
        this(null, port);
    }

    /** Connects from this local address (127.0.0.2, say, to look like another client); null: any. */
    public SmtpClient(java.net.InetAddress local, int port) throws IOException {
        socket = new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Connects with TLS from the first byte (port 465 style) and reads the greeting. */
    public static SmtpClient connectImplicitTls(int port) throws IOException {
        SmtpClient client = new SmtpClient(port);
        client.handshake(RelaySettings.unverifiedTls().getDefaultSSLParameters().getProtocols());
        client.expect("220 ");
        return client;
    }

    /** After the server's 220 to STARTTLS: TLS over the same connection. */
    public SmtpClient handshake() throws IOException {
        return handshake(new String[] {"TLSv1.3", "TLSv1.2"});
    }

    public SmtpClient handshake(String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) RelaySettings.unverifiedTls().getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.setEnabledProtocols(protocols);
        tls.setSoTimeout(TIMEOUT_MILLIS);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
        return this;
    }

    /** How long a read may wait: long for the end-of-data reply of large messages (RFC 5321 gives it 10 minutes). */
    public SmtpClient readTimeout(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        return this;
    }

    /** The client's own port of this connection (with its address, the session's key in the gateway). */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** The TLS session, after a handshake. */
    public SSLSession tlsSession() {
        return ((SSLSocket) socket).getSession();
    }

    /** Connects and reads the 220 greeting. */
    public static SmtpClient connect(int port) throws IOException {
        SmtpClient client = new SmtpClient(port);
        client.expect("220 ");
        return client;
    }

    /** Connects, reads the greeting and says EHLO. */
    public static SmtpClient ehlo(int port) throws IOException {
        SmtpClient client = connect(port);
        client.send("EHLO client.test");
        client.expect("250 ");
        return client;
    }

    /** Sends one command line, CRLF appended. */
    public SmtpClient send(String line) throws IOException {
        return sendRaw(line + "\r\n");
    }

    /** Sends these characters exactly (UTF-8), no line ending added. */
    public SmtpClient sendRaw(String text) throws IOException {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public SmtpClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Something that writes to the connection and returns a value (a digest of what it wrote, say). */
    @FunctionalInterface
    public interface Writer<T> {
        T writeTo(OutputStream out) throws IOException;
    }

    /** Streams data through a buffer, for messages too large to build in memory first. */
    public <T> T stream(Writer<T> writer) throws IOException {
        java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(out, 65536);
        T result = writer.writeTo(buffered);
        buffered.flush();
        return result;
    }

    /** Reads one reply; multi-line replies come back with lines joined by "\n". */
    public String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed by server; read so far: " + reply);
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
            reply.append('\n');
        }
    }

    /** Reads one reply and checks its start (for multi-line replies, the start of the last line). */
    public String expect(String start) throws IOException {
        String reply = reply();
        String last = reply.substring(reply.lastIndexOf('\n') + 1);
        assertThat(last).as("reply to the last command").startsWith(start);
        return reply;
    }

    /** Sends a command and checks the reply's start. */
    public String command(String line, String expectedStart) throws IOException {
        send(line);
        return expect(expectedStart);
    }

    /** Sends MAIL, RCPT for each recipient and DATA, expecting each to be accepted; message data comes next. */
    public SmtpClient startData(String from, String... recipients) throws IOException {
        command("MAIL FROM:<" + from + ">", "250 ");
        for (String recipient : recipients) {
            command("RCPT TO:<" + recipient + ">", "250 ");
        }
        command("DATA", "354 ");
        return this;
    }

    /** Sends a whole transaction with this data (dot-stuffed by the caller), expecting acceptance. */
    public String sendMessage(String from, String data, String... recipients) throws IOException {
        startData(from, recipients);
        sendRaw(data);
        sendRaw(".\r\n");
        return expect("250 2.0.0 Ok: queued as ");
    }

    /** True when the server closed the connection (end of stream) before the timeout. */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by peer
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
