package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.testing.ManualClock;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys directory: the PEM forms operators bring (PKCS#8 RSA and Ed25519, PKCS#1 from opendkim-genkey), every
 * key of a domain signing, RSA first; keys that cannot sign refused with the file and the reason; changes picked
 * up, a broken change not.
 */
class SigningKeysTest {

    @TempDir
    Path dir;
    private static TestKeys.Key rsa;
    private static TestKeys.Key ed;

    @BeforeAll
    static void keys() throws Exception {
        rsa = TestKeys.rsa(2048);
        ed = TestKeys.ed25519();
    }

    private static String pkcs8(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** BouncyCastle writes an RSA private key as PKCS#1 ("RSA PRIVATE KEY"), as openssl genrsa -traditional. */
    private static String pkcs1(PrivateKey key) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(key);
        }
        assertThat(text.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        return text.toString();
    }

    private Path write(String name, String pem) throws Exception {
        return write(name, pem, "rw-------");
    }

    private Path write(String name, String pem, String permissions) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void pkcs8AndPkcs1KeysOfADomainAllSignRsaFirst() throws Exception {
        write("example.test.ed.key", pkcs8(ed.pair().getPrivate()));
        write("example.test.rsa.key", pkcs8(rsa.pair().getPrivate()));
        write("other.example.s1.key", pkcs1(rsa.pair().getPrivate()));
        write("README", "not a key");
        write(".tmp-123.key", "half a key being written");

        SigningKeys keys = SigningKeys.watch(dir);

        assertThat(keys.forDomain("example.test")).extracting(SigningKey::toString)
                .containsExactly("d=example.test s=rsa rsa-sha256", "d=example.test s=ed ed25519-sha256");
        assertThat(keys.forDomain("other.example")).extracting(SigningKey::toString)
                .containsExactly("d=other.example s=s1 rsa-sha256");
        assertThat(keys.forDomain("example.org")).isEmpty();
        assertThat(keys.forDomain("example.test").get(0).privateKey().getEncoded())
                .isEqualTo(rsa.pair().getPrivate().getEncoded());
    }

    @Test
    void noDirectoryMeansNoKeys() {
        assertThat(SigningKeys.watch(dir.resolve("none")).forDomain("example.test")).isEmpty();
    }

    @Test
    void keysThatCannotSignStopTheStartWithTheFileAndTheReason() throws Exception {
        Path open = write("example.test.open.key", pkcs8(rsa.pair().getPrivate()), "rw-r--r--");
        assertThatThrownBy(() -> SigningKeys.watch(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DKIM key " + open + ": other users may read or change it: chmod 600 " + open);
        Files.delete(open);

        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(512);
        Path weak = write("example.test.weak.key", pkcs8(small.generateKeyPair().getPrivate()));
        assertThatThrownBy(() -> SigningKeys.watch(dir)).hasMessageStartingWith("DKIM key " + weak
                + ": an RSA key of 512 bits: verifiers ignore signatures with keys under 1024 bits (RFC 8301)");
        Files.delete(weak);

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        Path p256 = write("example.test.ec.key", pkcs8(ec.generateKeyPair().getPrivate()));
        assertThatThrownBy(() -> SigningKeys.watch(dir)).hasMessage("DKIM key " + p256
                + ": a key of type 1.2.840.10045.2.1: DKIM signs with RSA or Ed25519 only");
        Files.delete(p256);

        StringWriter encrypted = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(encrypted)) {
            pem.writeObject(new JcaPKCS8Generator(rsa.pair().getPrivate(), new JceOpenSSLPKCS8EncryptorBuilder(
                    JcaPKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .setPassword("secret".toCharArray()).build()));
        }
        Path locked = write("example.test.locked.key", encrypted.toString());
        assertThatThrownBy(() -> SigningKeys.watch(dir)).hasMessage("DKIM key " + locked
                + ": encrypted, and the gateway has no passphrase: store it unencrypted, owner-only");
        Files.delete(locked);

        Path garbage = write("example.test.garbage.key", "ssh-ed25519 AAAA... not PEM\n");
        assertThatThrownBy(() -> SigningKeys.watch(dir)).hasMessage("DKIM key " + garbage
                + ": holds no PEM private key");
        Files.delete(garbage);

        Path unnamed = write("selector-only.key", pkcs8(ed.pair().getPrivate()));
        assertThatThrownBy(() -> SigningKeys.watch(dir)).hasMessage("DKIM key " + unnamed
                + ": not named <domain>.<selector>.key");
        Files.delete(unnamed);

        Path dotted = write("example.test.a+b.key", pkcs8(ed.pair().getPrivate()));
        assertThatThrownBy(() -> SigningKeys.watch(dir)).hasMessage("DKIM key " + dotted
                + ": 'a+b' is not a selector (one DNS label: letters, digits, '-', '_')");
    }

    @Test
    void changesArePickedUpAndABrokenChangeKeepsTheKeysBefore() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));
        write("example.test.rsa.key", pkcs8(rsa.pair().getPrivate()));
        SigningKeys keys = SigningKeys.watch(dir, clock);
        assertThat(keys.forDomain("example.test")).hasSize(1);

        write("example.test.ed.key", pkcs8(ed.pair().getPrivate()));
        assertThat(keys.forDomain("example.test")).as("looked at once a second at most").hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(keys.forDomain("example.test")).extracting(SigningKey::selector).containsExactly("rsa", "ed");

        Path broken = write("example.test.new.key", "-----BEGIN PRIVATE KEY-----\nhalf a key");
        clock.advance(Duration.ofSeconds(2));
        assertThat(keys.forDomain("example.test")).extracting(SigningKey::selector).containsExactly("rsa", "ed");

        Files.delete(broken);
        Files.delete(dir.resolve("example.test.rsa.key"));
        clock.advance(Duration.ofSeconds(2));
        assertThat(keys.forDomain("example.test")).extracting(SigningKey::selector).containsExactly("ed");
    }
}
