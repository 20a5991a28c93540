package dev.mailgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.TestCertificates;
import dev.mailgateway.testing.TestListener;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smarthost password goes only over TLS that proves whom we talk to: a man in the middle with a certificate of
 * his own never sees it. Its certificate must chain to a CA we trust and name the smarthost; "encrypt" sends it
 * over unchecked TLS only when the operator writes so, with a warning; less than that refuses to start.
 */
class SmarthostTlsTest {

    @TempDir
    Path dir;
    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    /** A submission server wanting AUTH over STARTTLS, with a certificate for {@code name}; it logs AUTH. */
    private TestListener smarthost(TestCertificates.Pem certificate) throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "relay:" + PasswordHash.bcrypt("s3cret") + "\n");
        return TestListener.start("tls=required&auth=required&trustedNetworks=&authUsers=" + users
                + "&tlsCertificate=" + certificate.certificate() + "&tlsKey=" + certificate.key());
    }

    @SuppressWarnings("unchecked")
    private List<RecipientOutcome> relay(int port, String options) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("Subject: via the smarthost\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
        exchange.getMessage().setHeader(SmtpdConstants.QUEUE_ID, "TESTQUEUEID00000003");
        exchange.getMessage().setHeader(SmtpdConstants.SENDER, "a@src.test");
        exchange.getMessage().setHeader(SpoolEnvelope.RECIPIENTS, "b@anywhere.test");
        Exchange done = context.createProducerTemplate().send("smtp-relay:test?heloName=relay.gateway.test&mx=false"
                + "&smarthost=localhost:" + port + "&smarthostUsername=relay&smarthostPassword=s3cret" + options, exchange);
        if (done.getException() != null) {
            throw done.getException();
        }
        return done.getMessage().getHeader(SmtpRelayConstants.OUTCOMES, List.class);
    }

    @Test
    void aSmarthostWithACertificateOfItsOwnNeverGetsThePassword() throws Exception {
        TestCertificates.Pem mitm = TestCertificates.pem(dir, "attacker-mitm.invalid");
        try (TestListener fake = smarthost(mitm); LogLines log = new LogLines("dev.mailgateway.smtpd")) {
            assertThat(relay(fake.port(), "")).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
                assertThat(o.reply().status()).isEqualTo("4.7.5");
            });
            assertThat(log.lines()).noneMatch(l -> l.contains("AUTH"));
            assertThat(fake.received()).isEmpty();
        }
    }

    @Test
    void aTrustedCertificateForAnotherNameIsRefusedToo() throws Exception {
        TestCertificates.Pem mitm = TestCertificates.pem(dir, "attacker-mitm.invalid");
        try (TestListener fake = smarthost(mitm); LogLines log = new LogLines("dev.mailgateway.smtpd")) {
            assertThat(relay(fake.port(), "&tlsCaFile=" + mitm.certificate())).singleElement()
                    .satisfies(o -> assertThat(o.reply().status()).isEqualTo("4.7.5"));
            assertThat(log.lines()).noneMatch(l -> l.contains("AUTH"));
        }
    }

    @Test
    void aCertificateThatChainsToATrustedCaAndNamesTheSmarthostGetsThePassword() throws Exception {
        TestCertificates.Pem real = TestCertificates.pem(dir, "localhost");
        try (TestListener smarthost = smarthost(real); LogLines log = new LogLines("dev.mailgateway.smtpd")) {
            assertThat(relay(smarthost.port(), "&tlsCaFile=" + real.certificate())).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DELIVERED));
            assertThat(log.lines()).anyMatch(l -> l.contains("AUTH PLAIN as relay"));
        }
    }

    @Test
    void encryptWithoutVerificationSendsThePasswordOnlyWhenTheOperatorSaidSoAndWarns() throws Exception {
        TestCertificates.Pem mitm = TestCertificates.pem(dir, "attacker-mitm.invalid");
        try (TestListener fake = smarthost(mitm); LogLines relayLog = new LogLines(NextHopRouting.class.getName())) {
            assertThat(relay(fake.port(), "&smarthostTls=encrypt")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DELIVERED));
            assertThat(relayLog.lines()).anyMatch(l -> l.contains("certificate is not checked"));
        }
    }

    @Test
    void aPasswordWithOpportunisticTlsRefusesToStart() throws Exception {
        TestCertificates.Pem real = TestCertificates.pem(dir, "localhost");
        try (TestListener smarthost = smarthost(real)) {
            assertThatThrownBy(() -> relay(smarthost.port(), "&smarthostTls=may"))
                    .hasStackTraceContaining("a password is only sent over TLS verify");
        }
    }

    @Test
    void camelsSslContextParametersCanBeTheTrustThatVerifies() throws Exception {
        TestCertificates.Pem real = TestCertificates.pem(dir, "localhost");
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(real.certificate())) {
            trusted.setCertificateEntry("smarthost", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        KeyStoreParameters store = new KeyStoreParameters();
        store.setKeyStore(trusted);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        context.getRegistry().bind("smarthostTrust", parameters);
        try (TestListener smarthost = smarthost(real); LogLines log = new LogLines("dev.mailgateway.smtpd")) {
            assertThat(relay(smarthost.port(), "&sslContextParameters=#smarthostTrust")).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(RecipientOutcome.Status.DELIVERED));
            assertThat(log.lines()).anyMatch(l -> l.contains("AUTH PLAIN as relay"));
        }
    }
}
