package dev.mailgateway.relay;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message content for DATA: a "." at the start of a line gets another (RFC 5321 §4.5.2), the data ends
 * with CRLF "." CRLF, and a bare CR or LF goes out as CRLF (we never send one, whatever the message holds; the
 * listener lets none in, so this only matters for messages a route made itself).
 */
final class DotStuffer {

    private DotStuffer() {
    }

    static void write(byte[] content, OutputStream out) throws IOException {
        boolean lineStart = true;
        int runStart = 0;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (lineStart && b == '.') {
                out.write(content, runStart, i - runStart);
                out.write('.');
                runStart = i; // the original dot follows in the run
            }
            if (b == '\r' || b == '\n') {
                boolean crlf = b == '\r' && i + 1 < content.length && content[i + 1] == '\n';
                out.write(content, runStart, i - runStart);
                out.write('\r');
                out.write('\n');
                i += crlf ? 1 : 0;
                runStart = i + 1;
                lineStart = true;
            } else {
                lineStart = false;
            }
        }
        out.write(content, runStart, content.length - runStart);
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write(END);
    }

    private static final byte[] END = {'.', '\r', '\n'};
}
