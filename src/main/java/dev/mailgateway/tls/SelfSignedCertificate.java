package dev.mailgateway.tls;

import dev.mailgateway.files.OwnerOnly;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for the host name, made once and kept (PEM) so that a gateway without a configured
 * certificate can still offer STARTTLS: opportunistic TLS between mail servers does not verify certificates
 * (RFC 7435), and encryption against passive listeners is worth having. Submission clients will refuse it until
 * a real certificate is configured.
 */
final class SelfSignedCertificate {

    private static final Duration VALIDITY = Duration.ofDays(3650);

    private SelfSignedCertificate() {
    }

    /** The files {@code <directory>/selfsigned.crt} and {@code .key}, created when missing. */
    static Path[] ensure(Path directory, String hostname) throws IOException {
        Path cert = directory.resolve("selfsigned.crt");
        Path key = directory.resolve("selfsigned.key");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return new Path[] {cert, key};
        }
        OwnerOnly.directory(directory);
        try {
            // ECDSA P-256: every client of our ECDHE-only cipher list takes it, and signing a handshake costs a
            // few dozen microseconds where RSA-2048 costs a millisecond or more (measured here, see README)
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + hostname);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            writePem(key, pair.getPrivate(), true);
            writePem(cert, certificate, false);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("could not make a self-signed certificate", e);
        }
        return new Path[] {cert, key};
    }

    /** Written under a temporary name and moved, so a crash never leaves half a key; keys readable by us only. */
    private static void writePem(Path file, Object object, boolean secret) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".tmp-", ".pem");
        try {
            if (secret) {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the directory's permissions have to do
                }
            }
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII);
                    JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(object instanceof java.security.PrivateKey key
                        ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
