package dev.mailgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads archived messages the way tests compare them: the Received header skipped, the rest hashed. */
public final class Archive {

    private Archive() {
    }

    /** SHA-256 of the file after its first header field (our Received header). */
    public static String sha256WithoutTrace(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int previous2 = -1;
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("no header field ends in " + file);
                }
                if (previous2 == '\r' && previous == '\n' && b != ' ' && b != '\t') {
                    return GeneratedMessage.sha256(new java.io.SequenceInputStream(
                            new java.io.ByteArrayInputStream(new byte[] {(byte) b}), in));
                }
                previous2 = previous;
                previous = b;
            }
        }
    }

    /** The queue id at the end of a "250 ... queued as ID" reply. */
    public static String queueId(String reply) {
        return reply.substring(reply.lastIndexOf(' ') + 1).strip();
    }
}
