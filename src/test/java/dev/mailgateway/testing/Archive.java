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

    /** The queue id at the end of a "250 ... queued as ID" reply. */
    public static String queueId(String reply) {
        return reply.substring(reply.lastIndexOf(' ') + 1).strip();
    }
}
