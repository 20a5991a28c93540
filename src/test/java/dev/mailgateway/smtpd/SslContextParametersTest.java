package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestCertificates;
import dev.mailgateway.testing.TestListener;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listener's TLS from Camel's SSLContextParameters (a bean in the registry), over real TLS handshakes. */
class SslContextParametersTest {

    @TempDir
    Path dir;
    private final CamelContext context = new DefaultCamelContext();
    private final List<Exchange> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        context.stop();
    }

    private SSLContextParameters keyStoreOf(String commonName) throws Exception {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + TestCertificates.pkcs12(dir, commonName, "s3cret"));
        store.setType("PKCS12");
        store.setPassword("s3cret");
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword("s3cret");
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keys);
        return parameters;
    }

    private int listen(SSLContextParameters parameters, String options) throws Exception {
        context.getRegistry().bind("tlsParameters", parameters);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri(options + "&sslContextParameters=#tlsParameters")).routeId("smtpd")
                        .process(e -> received.add(e.copy()))
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        });
        context.start();
        return ((SmtpdConsumer) context.getRoute("smtpd").getConsumer()).getLocalAddress().getPort();
    }

    @Test
    void implicitTlsPresentsTheCertificateOfTheParametersKeyStore() throws Exception {
        int port = listen(keyStoreOf("jsse.gateway.test"), "tls=implicit");
        try (SmtpClient client = SmtpClient.connectImplicitTls(port)) {
            X509Certificate presented = (X509Certificate) client.tlsSession().getPeerCertificates()[0];
            assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=jsse.gateway.test");
            client.command("EHLO client.test", "250 ");
            client.sendMessage("a@src.test", "Subject: over jsse\r\n\r\nx\r\n", "b@dest.test");
        }
        assertThat(received).singleElement().satisfies(e -> {
            assertThat(e.getMessage().getHeader(SmtpdConstants.PROTOCOL)).isEqualTo("ESMTPS");
            assertThat(e.getMessage().getHeader(SmtpdConstants.TLS_PROTOCOL, String.class)).startsWith("TLSv1.");
        });
    }

    @Test
    void startTlsSpeaksOnlyTheProtocolsTheParametersAllow() throws Exception {
        SSLContextParameters parameters = keyStoreOf("jsse.gateway.test");
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(List.of("TLSv1.2"));
        parameters.setSecureSocketProtocols(protocols);
        int port = listen(parameters, "tls=optional");
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            client.command("STARTTLS", "220 ");
            client.handshake(); // the client offers TLS 1.3 and 1.2: the listener's parameters allow 1.2 only
            assertThat(client.tlsSession().getProtocol()).isEqualTo("TLSv1.2");
            X509Certificate presented = (X509Certificate) client.tlsSession().getPeerCertificates()[0];
            assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=jsse.gateway.test");
        }
    }
}
