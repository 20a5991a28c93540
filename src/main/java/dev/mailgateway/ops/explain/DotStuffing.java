package dev.mailgateway.ops.explain;

import java.io.ByteArrayOutputStream;

/** A message file as SMTP data: every line ends in CRLF (files often have bare LF), lines starting with "." doubled. */
final class DotStuffing {

    private DotStuffing() {
    }

    static byte[] crlf(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 40 + 2);
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (b == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.write('\r');
            } else if (b == '\r' && (i + 1 == message.length || message[i + 1] != '\n')) {
                out.write('\r');
                b = '\n';
            }
            out.write(b);
        }
        if (message.length > 0 && message[message.length - 1] != '\n' && message[message.length - 1] != '\r') {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** {@code message} with CRLF line ends already. */
    static byte[] stuff(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 16);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }
}
