package dev.mailgateway.relay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards next hops. Opportunistic TLS ({@code may}, {@code encrypt}) encrypts without authenticating, as
 * RFC 7435 and Postfix do: a server's certificate is taken whatever it is. {@code verify} authenticates: the chain
 * must lead to a trusted root (the JDK's trust store, or the CAs of a PEM file) and name the host we meant to
 * reach (the transport map's or smarthost's host name, or the MX host name from DNS), checked as HTTPS checks it.
 */
public final class ClientTls {

    private final SSLContext unverified;
    private final SSLContext verified;
    private final String[] protocols;
    /** Whether {@link #verified} sets its own protocols (Camel's SSLContextParameters do): then they stand. */
    private final boolean verifiedDecidesProtocols;

    private ClientTls(SSLContext unverified, SSLContext verified, String[] protocols, boolean verifiedDecidesProtocols) {
        this.unverified = unverified;
        this.verified = verified;
        this.protocols = protocols;
        this.verifiedDecidesProtocols = verifiedDecidesProtocols;
    }

    /**
     * With a verifying context made elsewhere (Camel's {@code SSLContextParameters}: its trust managers, a client
     * certificate, its protocols and cipher suites); {@code may} and {@code encrypt} keep the unverified context.
     *
     * @param protocols for {@code may} and {@code encrypt}, comma-separated
     */
    public static ClientTls of(SSLContext verified, String protocols) {
        return new ClientTls(RelaySettings.unverifiedTls(), verified, protocols.split("\\s*,\\s*"), true);
    }

    /**
     * @param caFile    PEM file of trusted CA certificates; blank: the JDK's trust store
     * @param protocols comma-separated, e.g. {@code TLSv1.3,TLSv1.2}
     */
    public static ClientTls of(String caFile, String protocols) throws IOException, GeneralSecurityException {
        SSLContext unverified = RelaySettings.unverifiedTls();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(caFile == null || caFile.isBlank() ? null : trustStore(Path.of(caFile.strip())));
        SSLContext verified = SSLContext.getInstance("TLS");
        verified.init(null, trust.getTrustManagers(), null);
        return new ClientTls(unverified, verified, protocols.split("\\s*,\\s*"), false);
    }

    private static KeyStore trustStore(Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
        }
        return store;
    }

    /** TLS over an established connection to {@code hop}, handshake done, checked as its policy says. */
    SSLSocket start(java.net.Socket plain, NextHop hop) throws IOException {
        boolean verify = hop.tls() == TlsPolicy.VERIFY;
        // the name, not the address: SNI and the certificate check both want the host name we were told
        SSLSocket socket = (SSLSocket) (verify ? verified : unverified).getSocketFactory()
                .createSocket(plain, hop.name(), hop.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        if (!(verify && verifiedDecidesProtocols)) {
            parameters.setProtocols(protocols);
        }
        if (verify) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}
