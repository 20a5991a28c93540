package dev.mailgateway.mailauth.dkim;

import dev.mailgateway.mailauth.dmarc.FromDomains;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signing key file, {@code <domain>.<selector>.key}: PEM, PKCS#8 ({@code PRIVATE KEY}, RSA or Ed25519, as
 * {@code openssl genpkey} and {@code dkim-keygen} write it) or PKCS#1 ({@code RSA PRIVATE KEY}, as
 * {@code opendkim-genkey} writes it). The selector is the name's last label before {@code .key}, so it has no dot.
 * A file that cannot sign is refused with the reason, never skipped: a domain would go out unsigned unnoticed.
 */
final class SigningKeyFile {

    static final String SUFFIX = ".key";
    /** RFC 8301 §3.2: signers MUST use at least 1024 bits and SHOULD use at least 2048. */
    static final int RECOMMENDED_RSA_BITS = 2048;
    /** A PEM key is a few KB; anything much larger is not one. */
    private static final long MAX_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyFile.class);

    private SigningKeyFile() {
    }

    /** Whether the directory entry is meant as a key (other files, a README say, are left alone). */
    static boolean isKeyFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) && !name.startsWith(".");
    }

    /** {@code <domain>.<selector>.key}, with the domain as a lookup key. */
    static String fileName(String domain, String selector) {
        return checkedDomain(domain) + "." + checkedSelector(selector) + SUFFIX;
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    static SigningKey read(Path file) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - SUFFIX.length());
        int dot = stem.lastIndexOf('.');
        if (dot <= 0) {
            throw refused(file, "not named <domain>.<selector>.key");
        }
        String domain;
        String selector;
        try {
            domain = checkedDomain(stem.substring(0, dot));
            selector = checkedSelector(stem.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw refused(file, e.getMessage());
        }
        checkPermissions(file);
        PrivateKeyInfo info = privateKeyInfo(file);
        ASN1ObjectIdentifier type = info.getPrivateKeyAlgorithm().getAlgorithm();
        SignatureAlgorithm algorithm;
        String keyType;
        if (type.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            algorithm = SignatureAlgorithm.RSA_SHA256;
            keyType = "RSA";
        } else if (type.equals(EdECObjectIdentifiers.id_Ed25519)) {
            algorithm = SignatureAlgorithm.ED25519_SHA256;
            keyType = "Ed25519";
        } else {
            throw refused(file, "a key of type " + type.getId() + ": DKIM signs with RSA or Ed25519 only");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(keyType).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw refused(file, "not a usable " + keyType + " key (" + e.getMessage() + ")");
        }
        if (key instanceof RSAPrivateKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < KeyRecord.MIN_RSA_BITS) {
                throw refused(file, "an RSA key of " + bits + " bits: verifiers ignore signatures with keys under "
                        + KeyRecord.MIN_RSA_BITS + " bits (RFC 8301); make a new one with dkim-keygen");
            }
            if (bits < RECOMMENDED_RSA_BITS) {
                LOG.warn("DKIM key {} has {} bits; RFC 8301 asks for at least {}", file, bits, RECOMMENDED_RSA_BITS);
            }
        }
        return new SigningKey(domain, selector, algorithm, key, file);
    }

    private static PrivateKeyInfo privateKeyInfo(Path file) {
        Object pem;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw refused(file, "over " + MAX_BYTES + " bytes: not a PEM key");
            }
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            try (PEMParser parser = new PEMParser(new StringReader(text))) {
                pem = parser.readObject();
            }
        } catch (IOException e) { // unreadable, or PEM that does not parse
            throw refused(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (pem instanceof PrivateKeyInfo info) {
            return info;
        }
        if (pem instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (pem instanceof PKCS8EncryptedPrivateKeyInfo || pem instanceof PEMEncryptedKeyPair) {
            throw refused(file, "encrypted, and the gateway has no passphrase: store it unencrypted, owner-only");
        }
        throw refused(file, pem == null ? "holds no PEM private key"
                : "holds a " + pem.getClass().getSimpleName() + ", not a private key");
    }

    /**
     * A key anyone on the machine may read is a key anyone may sign our mail with: refused (as opendkim's
     * RequireSafeKeys does). One the group may read is allowed (a container or key-management group), with a
     * warning.
     */
    private static void checkPermissions(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX permissions to check
        } catch (IOException e) {
            throw refused(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw refused(file, "other users may read or change it: chmod 600 " + file);
        }
        if (permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.GROUP_WRITE)) {
            LOG.warn("DKIM key {} is open to its group; chmod 600 keeps it to the gateway's user", file);
        }
    }

    private static String checkedDomain(String domain) {
        String key = FromDomains.domainName(domain);
        if (key == null || !key.contains(".")) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name");
        }
        return key;
    }

    /** One DNS label: the selector becomes {@code <selector>._domainkey.<domain>}, and the file name's last part. */
    private static String checkedSelector(String selector) {
        boolean valid = !selector.isEmpty() && selector.length() <= 63 && selector.chars()
                .allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                        || c == '_');
        if (!valid) {
            throw new IllegalArgumentException("'" + selector + "' is not a selector (one DNS label: letters, digits,"
                    + " '-', '_')");
        }
        return selector;
    }

    private static IllegalArgumentException refused(Path file, String why) {
        return new IllegalArgumentException("DKIM key " + file + ": " + why);
    }
}
