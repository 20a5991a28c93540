package dev.mailgateway.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a listener's server TLS context, in BoringSSL where available: TLS 1.2 and 1.3 only, forward-secret
 * AEAD ciphers first, from a PEM certificate chain and key, or a PKCS#12 file, or (when neither is configured) a
 * self-signed certificate made on first start.
 */
public final class TlsContexts {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    /** TLS 1.3 suites, then ECDHE with AEAD, then ECDHE with CBC for older TLS 1.2 mail servers. */
    public static final List<String> DEFAULT_CIPHERS = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");

    private TlsContexts() {
    }

    /**
     * @param certificate  PEM chain, or a .p12/.pfx file; blank for a self-signed certificate
     * @param key          PEM private key (PKCS#8, or PKCS#1/EC with BouncyCastle); unused for PKCS#12
     * @param password     of the key or the PKCS#12 file; blank for none
     * @param selfSignedIn where the self-signed certificate is kept
     * @param protocols    comma-separated, e.g. {@code TLSv1.3,TLSv1.2}
     * @param ciphers      comma-separated; blank for {@link #DEFAULT_CIPHERS}
     */
    public static SslContext server(String certificate, String key, String password, Path selfSignedIn,
            String hostname, String protocols, String ciphers) throws IOException, GeneralSecurityException {
        SslContextBuilder builder;
        if (certificate == null || certificate.isBlank()) {
            Path[] files = SelfSignedCertificate.ensure(selfSignedIn, hostname);
            LOG.warn("no TLS certificate configured: using the self-signed certificate {} for {}; set "
                    + "gateway.tls.certificate and gateway.tls.key for clients that verify", files[0], hostname);
            builder = SslContextBuilder.forServer(files[0].toFile(), files[1].toFile());
        } else if (isPkcs12(certificate)) {
            builder = SslContextBuilder.forServer(pkcs12(Path.of(certificate), password));
        } else {
            builder = SslContextBuilder.forServer(Path.of(certificate).toFile(), Path.of(key).toFile(),
                    password == null || password.isBlank() ? null : password);
        }
        return builder.sslProvider(provider())
                .protocols(split(protocols))
                .ciphers(ciphers == null || ciphers.isBlank() ? DEFAULT_CIPHERS : split(ciphers),
                        SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.NONE)
                .build();
    }

    /**
     * A server context over a JDK one, as Camel's {@code SSLContextParameters} make it: its key managers, and the
     * protocols and cipher suites it enables on its engines (Netty would otherwise enable its own defaults).
     */
    public static SslContext server(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return new JdkSslContext(context, false, Arrays.asList(engine.getEnabledCipherSuites()),
                IdentityCipherSuiteFilter.INSTANCE, null, ClientAuth.NONE, engine.getEnabledProtocols(), false);
    }

    /** BoringSSL (netty-tcnative) when it loads here, else the JDK's TLS: same protocols and ciphers. */
    static SslProvider provider() {
        if (OpenSsl.isAvailable()) {
            return SslProvider.OPENSSL;
        }
        LOG.info("TLS in the JDK: native BoringSSL is not available here ({})", OpenSsl.unavailabilityCause().toString());
        return SslProvider.JDK;
    }

    private static boolean isPkcs12(String file) {
        String name = file.toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    private static KeyManagerFactory pkcs12(Path file, String password) throws IOException, GeneralSecurityException {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, secret);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, secret);
        return factory;
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }
}
