package dev.mailgateway.ops.explain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A plain SMTP client for one session with the gateway's own listener inside this process, over loopback: explain
 * drives a real session so every reply is the one a client would hear. TLS (STARTTLS or implicit) without
 * certificate checks, because the peer is this very process.
 */
final class Conversation implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 120_000;

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    Conversation(InetSocketAddress listener, boolean implicitTls) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", listener.getPort()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        if (implicitTls) {
            socket = tls(socket);
        }
        streams();
    }

    String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                return reply.length() == 0 ? "(connection closed)" : reply.toString();
            }
            reply.append(reply.length() == 0 ? "" : "\n").append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    /** The message data, dot-stuffed, then the final dot; the reply to it. */
    String data(byte[] message) throws IOException {
        out.write(DotStuffing.stuff(message));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    void startTls() throws IOException {
        socket = tls(socket);
        streams();
    }

    private void streams() throws IOException {
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    private static SSLSocket tls(Socket plain) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingItself()}, new SecureRandom());
            SSLSocket secure = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1",
                    plain.getPort(), true);
            secure.setUseClientMode(true);
            secure.startHandshake();
            return secure;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("TLS with the listener failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The listener is in this process; its certificate (self-signed, often) proves nothing here and needs nothing. */
    private static final class TrustingItself implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
