package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.testing.AngusMail;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import dev.mailgateway.testing.TraceHeader;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.camel.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP AUTH (RFC 4954) on submission-style listeners: PLAIN and LOGIN, only over TLS, users from a file of
 * bcrypt hashes, wrong passwords slowed down and then refused per client, authenticated users may relay.
 */
class AuthTest {

    @TempDir
    static Path dir;
    static Path users;
    static Path senders;

    /** Loopback is not trusted here: only authentication lets a client relay. */
    private static final String SUBMISSION = "tls=required&auth=required&trustedNetworks=&authFailureDelay=50ms";

    @BeforeAll
    static void files() throws Exception {
        users = dir.resolve("users");
        Files.writeString(users, "# test users\nalice:" + PasswordHash.bcrypt("wonderland") + "\nbob:"
                + PasswordHash.bcrypt("builder") + "\n");
        senders = dir.resolve("sender-logins");
        Files.writeString(senders, "alice@src.test alice\n@team.test alice,bob\n");
    }

    /** The submission options with {@code extra} laid over them (a key given twice would be a list in Camel). */
    private static String options(String extra) {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        for (String pair : (SUBMISSION + "&authUsers=" + users + "&" + extra).split("&")) {
            if (!pair.isEmpty()) {
                options.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        StringBuilder uri = new StringBuilder();
        options.forEach((k, v) -> uri.append(uri.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return uri.toString();
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static SmtpClient tlsSession(int port) throws Exception {
        SmtpClient client = SmtpClient.ehlo(port);
        client.command("STARTTLS", "220 ");
        client.handshake();
        return client;
    }

    private static MimeMessage message(Session session) throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom("alice@src.test");
        message.setRecipients(RecipientType.TO, "friend@far-away.test");
        message.setSubject("submitted");
        message.setText("hello\r\n");
        return message;
    }

    @Test
    void angusMailSubmitsOverStartTlsWithAuthPlain() throws Exception {
        try (TestListener listener = TestListener.start(options(""))) {
            Session session = AngusMail.submission(listener.port(), "smtp", "PLAIN");
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect("alice", "wonderland");
                MimeMessage message = message(session);
                transport.sendMessage(message, message.getAllRecipients());
            }
            Message received = listener.received().get(0).getMessage();
            assertThat(received.getHeader(SmtpdConstants.AUTH_USER)).isEqualTo("alice");
            assertThat(received.getHeader(SmtpdConstants.PROTOCOL)).isEqualTo("ESMTPSA");
            assertThat(received.getHeader(SmtpdConstants.TLS_PROTOCOL)).isNotNull();
            assertThat(TraceHeader.first(received.getBody(byte[].class))).contains(" with ESMTPSA id ");
        }
    }

    @Test
    void angusMailSubmitsOverImplicitTlsWithAuthLogin() throws Exception {
        try (TestListener listener = TestListener.start(options("tls=implicit"))) {
            Session session = AngusMail.submission(listener.port(), "smtps", "LOGIN");
            try (Transport transport = session.getTransport("smtps")) {
                transport.connect("bob", "builder");
                MimeMessage message = message(session);
                transport.sendMessage(message, message.getAllRecipients());
            }
            assertThat(listener.received().get(0).getMessage().getHeader(SmtpdConstants.AUTH_USER)).isEqualTo("bob");
        }
    }

    @Test
    void authInPlainTextGets538AndIsNotOffered() throws Exception {
        try (TestListener listener = TestListener.start(options("tls=optional&auth=optional"));
                SmtpClient client = SmtpClient.connect(listener.port())) {
            assertThat(client.command("EHLO client.test", "250 ")).doesNotContain("AUTH");
            client.command("AUTH PLAIN " + plain("alice", "wonderland"),
                    "538 5.7.11 Encryption required for requested authentication mechanism");
            client.command("STARTTLS", "220 ");
            client.handshake();
            String ehlo = client.command("EHLO client.test", "250 ");
            assertThat(ehlo).contains("250-AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            client.command("AUTH PLAIN " + plain("alice", "wonderland"), "235 2.7.0 Authentication successful");
        }
    }

    @Test
    void plainTextAuthWhereTheListenerAllowsIt() throws Exception {
        try (TestListener listener = TestListener.start(options("tls=none&authPlaintext=true"));
                SmtpClient client = SmtpClient.connect(listener.port())) {
            assertThat(client.command("EHLO client.test", "250 ")).contains("AUTH PLAIN LOGIN");
            client.command("AUTH PLAIN " + plain("alice", "wonderland"), "235 ");
        }
    }

    @Test
    void wrongPasswordGets535AndTheSessionGoesOn() throws Exception {
        try (TestListener listener = TestListener.start(options(""));
                SmtpClient client = tlsSession(listener.port())) {
            client.command("EHLO client.test", "250 ");
            client.command("AUTH PLAIN " + plain("alice", "wrong"), "535 5.7.8 Error: authentication failed");
            client.command("AUTH PLAIN " + plain("nobody", "wonderland"), "535 5.7.8");
            client.command("MAIL FROM:<alice@src.test>", "530 5.7.0 Authentication required");
            client.command("AUTH PLAIN " + plain("alice", "wonderland"), "235 ");
            client.command("AUTH PLAIN " + plain("alice", "wonderland"), "503 5.5.1 Error: already authenticated");
            client.command("MAIL FROM:<alice@src.test>", "250 ");
        }
    }

    @Test
    void angusMailWithAWrongPasswordFails() throws Exception {
        try (TestListener listener = TestListener.start(options("tls=implicit"))) {
            Session session = AngusMail.submission(listener.port(), "smtps", "PLAIN");
            try (Transport transport = session.getTransport("smtps")) {
                assertThatThrownBy(() -> transport.connect("alice", "guess"))
                        .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("535 5.7.8");
            }
        }
    }

    @Test
    void guessingIsCutOffAfterTheConfiguredNumberOfFailures() throws Exception {
        try (TestListener listener = TestListener.start(options("authMaxFailures=3"))) {
            try (SmtpClient client = tlsSession(listener.port())) {
                client.command("EHLO client.test", "250 ");
                client.command("AUTH PLAIN " + plain("alice", "guess1"), "535 5.7.8");
                client.command("AUTH PLAIN " + plain("alice", "guess2"), "535 5.7.8");
                client.command("AUTH PLAIN " + plain("alice", "guess3"),
                        "421 4.7.0 mx.gateway.test Error: too many failed authentication attempts");
                assertThat(client.isClosedByServer()).isTrue();
            }
            try (SmtpClient again = tlsSession(listener.port())) {
                again.command("EHLO client.test", "250 ");
                again.command("AUTH PLAIN " + plain("alice", "wonderland"), "421 4.7.0");
                assertThat(again.isClosedByServer()).isTrue();
            }
        }
    }

    /** Password checks that were made, as the listener logs each one's outcome. */
    private static long passwordChecks(LogLines log) {
        return log.lines().stream().filter(l -> l.contains(": AUTH PLAIN failed for user=<")
                || l.contains(": AUTH LOGIN failed for user=<") || l.matches(".*: AUTH (PLAIN|LOGIN) as .*")).count();
    }

    @Test
    void parallelGuessesGetNoMorePasswordChecksThanTheLimitAndTheRightPasswordAfterItGets421() throws Exception {
        int limit = 5;
        List<SmtpClient> sessions = new ArrayList<>();
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start(options("authMaxFailures=" + limit))) {
            for (int i = 0; i < 12; i++) {
                SmtpClient session = tlsSession(listener.port());
                sessions.add(session);
                session.command("EHLO client.test", "250 ");
            }
            for (SmtpClient session : sessions) { // all at once: their checks are in flight together
                session.send("AUTH PLAIN " + plain("alice", "guess"));
            }
            List<String> replies = new ArrayList<>();
            for (SmtpClient session : sessions) {
                replies.add(session.reply());
            }
            assertThat(replies).allMatch(r -> r.startsWith("535 5.7.8 ")
                    || r.equals("421 4.7.0 mx.gateway.test Error: too many failed authentication attempts"));
            assertThat(replies).filteredOn(r -> r.startsWith("535 ")).hasSize(limit - 1);
            assertThat(passwordChecks(log)).isEqualTo(limit);

            SmtpClient stillOpen = sessions.get(replies.indexOf(replies.stream()
                    .filter(r -> r.startsWith("535 ")).findFirst().orElseThrow()));
            stillOpen.command("AUTH PLAIN " + plain("alice", "wonderland"),
                    "421 4.7.0 mx.gateway.test Error: too many failed authentication attempts");
            assertThat(stillOpen.isClosedByServer()).isTrue();
            assertThat(passwordChecks(log)).isEqualTo(limit);
        } finally {
            for (SmtpClient session : sessions) {
                session.close();
            }
        }
    }

    @Test
    void authLoginBegunBeforeTheAddressWasBlockedGets421ForItsPasswordUnchecked() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start(options("authMaxFailures=3"));
                SmtpClient patient = tlsSession(listener.port())) {
            patient.command("EHLO client.test", "250 ");
            patient.command("AUTH LOGIN", "334 VXNlcm5hbWU6");
            patient.command(b64("alice"), "334 UGFzc3dvcmQ6");
            try (SmtpClient guesser = tlsSession(listener.port())) {
                guesser.command("EHLO client.test", "250 ");
                guesser.command("AUTH PLAIN " + plain("alice", "guess1"), "535 5.7.8");
                guesser.command("AUTH PLAIN " + plain("alice", "guess2"), "535 5.7.8");
                guesser.command("AUTH PLAIN " + plain("alice", "guess3"), "421 4.7.0");
            }
            patient.command(b64("wonderland"),
                    "421 4.7.0 mx.gateway.test Error: too many failed authentication attempts");
            assertThat(patient.isClosedByServer()).isTrue();
            assertThat(passwordChecks(log)).isEqualTo(3);
        }
    }

    @Test
    void authLoginStepByStepAndItsErrors() throws Exception {
        try (TestListener listener = TestListener.start(options(""));
                SmtpClient client = tlsSession(listener.port())) {
            client.command("AUTH LOGIN", "503 5.5.1 Error: send HELO/EHLO first");
            client.command("EHLO client.test", "250 ");
            client.command("AUTH CRAM-MD5", "504 5.5.4 Unrecognized authentication type");
            client.command("AUTH", "501 5.5.4");
            client.command("AUTH LOGIN", "334 VXNlcm5hbWU6");
            client.command("*", "501 5.7.0 Authentication aborted");
            client.command("AUTH PLAIN", "334 ");
            client.command("not base64!", "501 5.5.2 Cannot decode response");
            client.command("AUTH LOGIN " + b64("bob"), "334 UGFzc3dvcmQ6");
            client.command(b64("builder"), "235 2.7.0");
        }
    }

    @Test
    void authenticatedClientMayRelayAnywhereAndOthersMayNot() throws Exception {
        try (TestListener listener = TestListener.start(options("tls=optional&auth=optional"))) {
            try (SmtpClient anonymous = tlsSession(listener.port())) {
                anonymous.command("EHLO client.test", "250 ");
                anonymous.command("MAIL FROM:<someone@src.test>", "250 ");
                anonymous.command("RCPT TO:<friend@far-away.test>", "554 5.7.1");
            }
            try (SmtpClient alice = tlsSession(listener.port())) {
                alice.command("EHLO client.test", "250 ");
                alice.command("AUTH PLAIN " + plain("alice", "wonderland"), "235 ");
                alice.sendMessage("alice@src.test", "x\r\n", "friend@far-away.test");
            }
        }
    }

    @Test
    void senderLoginMapKeepsUsersToTheirOwnAddresses() throws Exception {
        try (TestListener listener = TestListener.start(options("senderLogins=" + senders));
                SmtpClient client = tlsSession(listener.port())) {
            client.command("EHLO client.test", "250 ");
            client.command("AUTH PLAIN " + plain("bob", "builder"), "235 ");
            client.command("MAIL FROM:<alice@src.test>",
                    "553 5.7.1 <alice@src.test>: Sender address rejected: not owned by user bob");
            client.command("MAIL FROM:<team@team.test>", "250 ");
            client.command("RSET", "250 ");
            client.command("MAIL FROM:<>", "250 ");
        }
    }

    @Test
    void startTlsForgetsWhatCameBefore() throws Exception {
        try (TestListener listener = TestListener.start(options("tls=optional&auth=optional&authPlaintext=true"));
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("AUTH PLAIN " + plain("alice", "wonderland"), "235 ");
            client.command("STARTTLS", "220 ");
            client.handshake();
            client.command("MAIL FROM:<a@src.test>", "503 5.5.1 Error: send HELO/EHLO first");
            client.command("EHLO client.test", "250 ");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<friend@far-away.test>", "554 5.7.1"); // no longer authenticated
        }
    }
}
