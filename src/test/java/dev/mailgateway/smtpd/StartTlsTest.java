package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestCertificates;
import dev.mailgateway.testing.TestListener;
import dev.mailgateway.testing.TraceHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.apache.camel.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207) and implicit TLS, over real TLS with the JDK's client. */
class StartTlsTest {

    @TempDir
    Path dir;

    @Test
    void startTlsUpgradesTheSessionAndTheMessageSaysSo() throws Exception {
        try (TestListener listener = TestListener.start("");
                SmtpClient client = SmtpClient.connect(listener.port())) {
            assertThat(client.command("EHLO client.test", "250 ")).contains("250-STARTTLS");
            client.command("STARTTLS", "220 2.0.0 Ready to start TLS");
            client.handshake();
            String ehlo = client.command("EHLO client.test", "250 ");
            assertThat(ehlo).doesNotContain("STARTTLS");
            client.command("STARTTLS", "554 5.5.1 Error: TLS already active");
            client.sendMessage("a@src.test", "Subject: secret\r\n\r\nx\r\n", "b@dest.test");
            String protocol = client.tlsSession().getProtocol();
            String cipher = client.tlsSession().getCipherSuite();

            Message message = listener.received().get(0).getMessage();
            assertThat(message.getHeader(SmtpdConstants.TLS_PROTOCOL)).isEqualTo(protocol);
            assertThat(message.getHeader(SmtpdConstants.TLS_CIPHER)).isEqualTo(cipher);
            assertThat(message.getHeader(SmtpdConstants.PROTOCOL)).isEqualTo("ESMTPS");
            assertThat(TraceHeader.first(message.getBody(byte[].class)))
                    .contains("\r\n\t(using " + protocol + " with cipher " + cipher + ")\r\n")
                    .contains(" with ESMTPS id ");
        }
    }

    /**
     * CVE-2011-0411: a man in the middle appends a command to the client's STARTTLS in the same packet; a server
     * that executes it after the handshake lets the attacker inject into the encrypted session.
     */
    @Test
    void plainTextPipelinedBehindStartTlsIsNeverExecuted() throws Exception {
        try (TestListener listener = TestListener.start("");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendRaw("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\nRSET\r\n");
            client.expect("220 2.0.0 Ready to start TLS");
            client.handshake(); // a plain-text reply after the 220 would break the handshake
            // had the injected commands run, their replies would come before the EHLO's
            client.send("EHLO client.test");
            assertThat(client.reply()).startsWith("250-mx.gateway.test");
            client.command("RCPT TO:<b@dest.test>", "503 5.5.1 Error: need MAIL command");
            client.command("MAIL FROM:<a@src.test>", "250 2.1.0");
        }
    }

    @Test
    void plainTextSentAfterTheReadyReplyIsNotTls() throws Exception {
        try (TestListener listener = TestListener.start("");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("STARTTLS", "220 ");
            client.sendRaw("RSET\r\n"); // where a ClientHello should be
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void startTlsIsRefusedWhereItDoesNotBelong() throws Exception {
        try (TestListener plain = TestListener.start("tls=none");
                SmtpClient client = SmtpClient.ehlo(plain.port())) {
            assertThat(client.command("EHLO again.test", "250 ")).doesNotContain("STARTTLS");
            client.command("STARTTLS", "502 5.5.1");
        }
        try (TestListener listener = TestListener.start("");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("STARTTLS now", "501 5.5.4");
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("STARTTLS", "503 5.5.1 Error: MAIL transaction in progress");
        }
    }

    @Test
    void requiredTlsRefusesMailBeforeStartTls() throws Exception {
        try (TestListener listener = TestListener.start("tls=required");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<a@src.test>", "530 5.7.0 Must issue a STARTTLS command first");
            client.command("STARTTLS", "220 ");
            client.handshake();
            client.command("EHLO client.test", "250 ");
            client.command("MAIL FROM:<a@src.test>", "250 ");
        }
    }

    @Test
    void implicitTlsGreetsOnlyAfterTheHandshake() throws Exception {
        try (TestListener listener = TestListener.start("tls=implicit");
                SmtpClient client = SmtpClient.connectImplicitTls(listener.port())) {
            assertThat(client.command("EHLO client.test", "250 ")).doesNotContain("STARTTLS");
            client.sendMessage("a@src.test", "x\r\n", "b@dest.test");
            assertThat(listener.received().get(0).getMessage().getHeader(SmtpdConstants.PROTOCOL)).isEqualTo("ESMTPS");
        }
    }

    @Test
    void plainTextClientOnAnImplicitTlsPortGetsNothing() throws Exception {
        try (TestListener listener = TestListener.start("tls=implicit");
                SmtpClient client = new SmtpClient(listener.port())) {
            client.sendRaw("EHLO plain.test\r\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void onlyTls12AndLaterAreSpoken() throws Exception {
        try (TestListener listener = TestListener.start("");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("STARTTLS", "220 ");
            client.handshake("TLSv1.2");
            assertThat(client.tlsSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(client.tlsSession().getCipherSuite()).startsWith("TLS_ECDHE_");
        }
        try (TestListener listener = TestListener.start("tlsProtocols=TLSv1.3");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("STARTTLS", "220 ");
            assertThatThrownBy(() -> client.handshake("TLSv1.2")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void configuredPemCertificateIsPresented() throws Exception {
        TestCertificates.Pem pem = TestCertificates.pem(dir, "pem.gateway.test");
        try (TestListener listener = TestListener.start("tlsCertificate=" + pem.certificate() + "&tlsKey=" + pem.key());
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("STARTTLS", "220 ");
            client.handshake();
            X509Certificate presented = (X509Certificate) client.tlsSession().getPeerCertificates()[0];
            assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=pem.gateway.test");
        }
    }

    @Test
    void configuredPkcs12CertificateIsPresented() throws Exception {
        Path store = TestCertificates.pkcs12(dir, "p12.gateway.test", "s3cret");
        try (TestListener listener = TestListener.start("tls=implicit&tlsCertificate=" + store
                + "&tlsKeyPassword=s3cret"); SmtpClient client = SmtpClient.connectImplicitTls(listener.port())) {
            X509Certificate presented = (X509Certificate) client.tlsSession().getPeerCertificates()[0];
            assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=p12.gateway.test");
        }
    }

    @Test
    void withoutACertificateASelfSignedOneIsMadeForTheHostName() throws Exception {
        Path selfSigned = dir.resolve("tls");
        try (TestListener listener = TestListener.start("tlsSelfSignedDirectory=" + selfSigned);
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("STARTTLS", "220 ");
            client.handshake();
            X509Certificate presented = (X509Certificate) client.tlsSession().getPeerCertificates()[0];
            assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=mx.gateway.test");
        }
        assertThat(selfSigned.resolve("selfsigned.crt")).exists();
        assertThat(selfSigned.resolve("selfsigned.key")).exists();
        // once, a directory given twice became Camel's list "[target/test-tls, .../tls]", and its key got committed
        assertThat(TestListener.uri("tlsSelfSignedDirectory=" + selfSigned)).containsOnlyOnce("tlsSelfSignedDirectory=");
    }
}
