package dev.mailgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A large message made on the fly from a seed, so that tests can send tens of megabytes without holding them:
 * text lines of varying length, some starting with a dot, some with 8-bit characters. It can be written
 * dot-stuffed (for DATA) or as is (for BDAT), and knows the SHA-256 of its unstuffed bytes.
 */
public final class GeneratedMessage {

    private final long seed;
    private final long size;

    public GeneratedMessage(long seed, long size) {
        this.seed = seed;
        this.size = size;
    }

    /** Writes the message; with {@code dotStuffed}, a line starting with "." gets another. Returns the SHA-256. */
    public String writeTo(OutputStream out, boolean dotStuffed) throws IOException {
        MessageDigest sha = newDigest();
        Random random = new Random(seed);
        byte[] header = ("From: generated@src.test\r\nSubject: generated " + seed + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        out.write(header);
        sha.update(header);
        long written = header.length;
        byte[] line = new byte[1000];
        while (written < size) {
            int length = (int) Math.min(10 + random.nextInt(900), size - written);
            if (length < 2) {
                length = 2;
            }
            for (int i = 0; i < length - 2; i++) {
                int r = random.nextInt(100);
                line[i] = (byte) (r < 2 ? 0xC3 : r < 4 ? 0xA9 : ' ' + random.nextInt(95));
            }
            if (random.nextInt(20) == 0) {
                line[0] = '.';
            }
            line[length - 2] = '\r';
            line[length - 1] = '\n';
            if (dotStuffed && line[0] == '.') {
                out.write('.');
            }
            out.write(line, 0, length);
            sha.update(line, 0, length);
            written += length;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    public String sha256() throws IOException {
        return writeTo(OutputStream.nullOutputStream(), false);
    }

    /** The size in bytes, unstuffed (within a couple of bytes of what was asked). */
    public long size() throws IOException {
        CountingStream counter = new CountingStream();
        writeTo(counter, false);
        return counter.count;
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest sha = newDigest();
        byte[] buffer = new byte[65536];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
