import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the JVM's compiler mode does to the crypto mail needs (DKIM signing and verification, TLS): the time per
 * operation after a warm-up of as many, with the JDK's own providers. Compare C2 with C1 only:
 *   java src/bench/CryptoCost.java
 *   java -XX:TieredStopAtLevel=1 src/bench/CryptoCost.java
 */
public class CryptoCost {

    interface Op {
        void run() throws Exception;
    }

    static void time(String name, int count, Op op) throws Exception {
        for (int i = 0; i < count; i++) {
            op.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            op.run();
        }
        System.out.printf("%-28s %8.1f us%n", name, (System.nanoTime() - start) / 1e3 / count);
    }

    public static void main(String[] args) throws Exception {
        byte[] data = new byte[4096];
        KeyPairGenerator rsaKeys = KeyPairGenerator.getInstance("RSA");
        rsaKeys.initialize(2048);
        KeyPair rsa = rsaKeys.generateKeyPair();
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair p256 = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Signature rsaSha256 = Signature.getInstance("SHA256withRSA");
        time("rsa-2048 sign (4 KB)", 2000, () -> {
            rsaSha256.initSign(rsa.getPrivate());
            rsaSha256.update(data);
            rsaSha256.sign();
        });
        rsaSha256.initSign(rsa.getPrivate());
        rsaSha256.update(data);
        byte[] signature = rsaSha256.sign();
        time("rsa-2048 verify (4 KB)", 5000, () -> {
            rsaSha256.initVerify(rsa.getPublic());
            rsaSha256.update(data);
            rsaSha256.verify(signature);
        });
        Signature ed = Signature.getInstance("Ed25519");
        time("ed25519 sign (4 KB)", 2000, () -> {
            ed.initSign(ed25519.getPrivate());
            ed.update(data);
            ed.sign();
        });
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        time("ecdsa p-256 sign (4 KB)", 2000, () -> {
            ecdsa.initSign(p256.getPrivate());
            ecdsa.update(data);
            ecdsa.sign();
        });
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        time("sha-256 of 4 KB", 20000, () -> sha256.digest(data));
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        long[] counter = {0};
        time("aes-128-gcm of 4 KB", 20000, () -> {
            byte[] iv = new byte[12];
            long n = ++counter[0]; // a fresh IV each time: GCM refuses a repeated one
            for (int i = 0; i < 8; i++) {
                iv[i] = (byte) (n >>> (8 * i));
            }
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            gcm.doFinal(data);
        });
    }
}
