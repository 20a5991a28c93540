package dev.mailgateway.testing;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates an operator would configure: PEM files and a PKCS#12 store, for a given common name. */
public final class TestCertificates {

    public record Pem(Path certificate, Path key) {
    }

    private TestCertificates() {
    }

    private static Object[] make(String commonName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                        pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        return new Object[] {pair, certificate};
    }

    public static Pem pem(Path directory, String commonName) throws Exception {
        Object[] made = make(commonName);
        Path cert = directory.resolve(commonName + ".crt");
        Path key = directory.resolve(commonName + ".key");
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(cert))) {
            writer.writeObject(made[1]);
        }
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(key))) {
            writer.writeObject(new JcaPKCS8Generator(((KeyPair) made[0]).getPrivate(), null));
        }
        return new Pem(cert, key);
    }

    public static Path pkcs12(Path directory, String commonName, String password) throws Exception {
        Object[] made = make(commonName);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("gateway", ((KeyPair) made[0]).getPrivate(), password.toCharArray(),
                new Certificate[] {(X509Certificate) made[1]});
        Path file = directory.resolve(commonName + ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}
