package dev.mailgateway.ops.explain;

import dev.mailgateway.smtpd.internal.TlsMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMTP session explain holds with the listener on the client's behalf: the connection is this process's own
 * (loopback, a trusted XCLIENT host), then XCLIENT makes the session the client's, and from there every command is
 * the client's and every reply the one it would hear: CONNECT, HELO, MAIL and RCPT checks, then the data.
 */
final class ExplainSession {

    /** What happened: each step the client took with the reply, and where the session ended. */
    record Outcome(List<Map<String, String>> transcript, String stage, String reply) {
    }

    private final List<Map<String, String>> transcript = new ArrayList<>();

    private ExplainSession() {
    }

    /** @param beforeClient runs just before the session becomes the client's (explain forgets what came before) */
    static Outcome talk(InetSocketAddress listener, TlsMode tls, boolean forceTls, ExplainOptions options,
            byte[] message, Runnable beforeClient) throws IOException {
        return new ExplainSession().run(listener, tls, forceTls, options, message, beforeClient);
    }

    private Outcome run(InetSocketAddress listener, TlsMode tls, boolean forceTls, ExplainOptions options,
            byte[] message, Runnable beforeClient) throws IOException {
        try (Conversation smtp = new Conversation(listener, tls == TlsMode.IMPLICIT)) {
            String greeting = smtp.reply();
            if (!greeting.startsWith("2")) {
                throw new IOException("the listener did not greet explain itself: " + greeting);
            }
            expect(smtp.command("EHLO explain.localhost"), "250");
            if (tls == TlsMode.REQUIRED || (tls == TlsMode.OPTIONAL && forceTls)) {
                expect(smtp.command("STARTTLS"), "220");
                smtp.startTls();
                expect(smtp.command("EHLO explain.localhost"), "250");
            }
            beforeClient.run();
            String connect = smtp.command("XCLIENT ADDR=" + xtext(options.client()) + " HELO=" + xtext(options.helo())
                    + (options.authUser() == null ? "" : " LOGIN=" + xtext(options.authUser())));
            if (connect.startsWith("550 5.7.0") || connect.startsWith("501")) {
                throw new IOException("the listener refused explain's XCLIENT: " + connect);
            }
            step("(connect from " + options.client() + ")", connect);
            if (!connect.startsWith("220")) {
                return new Outcome(transcript, "connect", connect);
            }
            String ehlo = step("EHLO " + options.helo(), smtp.command("EHLO " + options.helo()));
            if (!ehlo.startsWith("250")) {
                return new Outcome(transcript, "helo", last(ehlo));
            }
            String mail = step("MAIL FROM:<" + options.from() + ">", smtp.command("MAIL FROM:<" + options.from() + ">"));
            if (!mail.startsWith("250")) {
                return new Outcome(transcript, "mail", mail);
            }
            String refusal = null;
            int accepted = 0;
            for (String recipient : options.to()) {
                String rcpt = step("RCPT TO:<" + recipient + ">", smtp.command("RCPT TO:<" + recipient + ">"));
                if (rcpt.startsWith("250")) {
                    accepted++;
                } else {
                    refusal = rcpt;
                }
            }
            if (accepted == 0) {
                return new Outcome(transcript, "rcpt", refusal);
            }
            String data = step("DATA", smtp.command("DATA"));
            if (!data.startsWith("354")) {
                return new Outcome(transcript, "data", data);
            }
            String end = step("(message, " + message.length + " bytes, then .)", smtp.data(message));
            smtp.command("QUIT");
            return new Outcome(transcript, "end of data", end);
        }
    }

    private String step(String client, String server) {
        Map<String, String> step = new LinkedHashMap<>();
        step.put("client", client);
        step.put("server", server);
        transcript.add(step);
        return server;
    }

    private static String last(String reply) {
        return reply.substring(reply.lastIndexOf('\n') + 1);
    }

    private static void expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) {
            throw new IOException("the listener answered explain itself with " + reply);
        }
    }

    /** RFC 3461 xtext for XCLIENT values: "+", "=", controls and non-ASCII as +HH. */
    static String xtext(String value) {
        StringBuilder text = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                text.append('+').append(String.format("%02X", c));
            } else {
                text.append((char) c);
            }
        }
        return text.toString();
    }
}
