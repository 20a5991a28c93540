package dev.mailgateway.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password hashes as they stand in the users file: bcrypt ({@code $2y$}, {@code $2b$}, {@code $2a$}, as
 * {@code htpasswd -B} and Dovecot write them) or PBKDF2-HMAC-SHA256 ({@code $pbkdf2-sha256$iterations$salt$hash},
 * base64). New hashes are bcrypt with cost 12. Never plain text.
 */
public final class PasswordHash {

    private static final int BCRYPT_COST = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String bcrypt(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, BCRYPT_COST);
    }

    /** Whether the password matches the stored hash; false for a hash in a format we do not know. */
    public static boolean verify(String stored, String password) {
        if (stored.startsWith("$2a$") || stored.startsWith("$2b$") || stored.startsWith("$2y$")) {
            try {
                return OpenBSDBCrypt.checkPassword(stored, password.toCharArray());
            } catch (RuntimeException e) {
                return false; // a malformed hash (BouncyCastle says so with several exception types)
            }
        }
        if (stored.startsWith("$pbkdf2-sha256$")) {
            return pbkdf2(stored, password);
        }
        return false;
    }

    public static boolean isKnownFormat(String stored) {
        return stored.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}") || stored.matches("\\$pbkdf2-sha256\\$\\d+\\$[^$]+\\$[^$]+");
    }

    private static boolean pbkdf2(String stored, String password) {
        String[] parts = stored.split("\\$");
        try {
            int iterations = Integer.parseInt(parts[2]);
            byte[] salt = Base64.getDecoder().decode(parts[3]);
            byte[] expected = Base64.getDecoder().decode(parts[4]);
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, expected.length * 8);
            byte[] actual = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return MessageDigest.isEqual(expected, actual);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** For tests and migrations: a PBKDF2 hash in the format {@link #verify} reads. */
    static String pbkdf2(String password, int iterations) throws GeneralSecurityException {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        return "$pbkdf2-sha256$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }
}
