package dev.mailgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads archived messages the way tests compare them: the lines the gateway put on top skipped, the rest hashed. */
public final class Archive {

    private Archive() {
    }

    /** SHA-256 of the file after the X-Spam verdict lines and the first other header field (our Received header). */
    public static String sha256WithoutTrace(Path file) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            // the X-Spam verdict lines mail-filter:tag puts on top, then our Received field (with its folded lines)
            boolean inReceived = false;
            while (true) {
                in.mark(1);
                int first = in.read();
                if (first < 0) {
                    throw new IOException("no header field ends in " + file);
                }
                in.reset();
                boolean continuation = first == ' ' || first == '\t';
                if (!continuation && inReceived) {
                    return GeneratedMessage.sha256(in);
                }
                String line = readLine(in);
                if (!continuation && !line.startsWith("X-Spam-")) {
                    inReceived = true;
                }
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.append((char) b);
            if (b == '\n') {
                break;
            }
        }
        return line.toString();
    }

    /**
     * Where the archive keeps a message: {@code <archive>/YYYY/MM/DD/<queue-id>.eml} (the UTC day it was queued);
     * null while it is not there. The day is looked up, not computed: a test may run across midnight.
     */
    public static Path file(Path archive, String queueId) throws IOException {
        if (!Files.isDirectory(archive)) {
            return null;
        }
        try (java.util.stream.Stream<Path> files = Files.find(archive, 4,
                (path, attributes) -> path.getFileName().toString().equals(queueId + ".eml"))) {
            return files.findFirst().orElse(null);
        }
    }

    /** The archived message, once it is there (the archive route writes it after the 250). */
    public static Path await(Path archive, String queueId) {
        return await(archive, queueId, java.time.Duration.ofMinutes(2));
    }

    public static Path await(Path archive, String queueId, java.time.Duration atMost) {
        Path[] found = new Path[1];
        org.awaitility.Awaitility.await().atMost(atMost)
                .until(() -> (found[0] = file(archive, queueId)) != null);
        return found[0];
    }

    /** The queue id at the end of a "250 ... queued as ID" reply. */
    public static String queueId(String reply) {
        return reply.substring(reply.lastIndexOf(' ') + 1).strip();
    }
}
