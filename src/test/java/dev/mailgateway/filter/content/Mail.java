package dev.mailgateway.filter.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test messages: text blocks written with \n, sent with CRLF as SMTP carries them. */
final class Mail {

    static final ContentScanner SCANNER = new ContentScanner(ContentLimits.DEFAULT);

    private Mail() {
    }

    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static byte[] bytes(String text) {
        return crlf(text).getBytes(StandardCharsets.UTF_8);
    }

    static ContentScan scan(String message) {
        return scan(SCANNER, bytes(message));
    }

    static ContentScan scan(ContentScanner scanner, String message) {
        return scan(scanner, bytes(message));
    }

    static ContentScan scan(ContentScanner scanner, byte[] message) {
        try {
            return scanner.scan(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64 as MIME writes it: lines of 76 characters, CRLF. */
    static String base64(byte[] octets) {
        return Base64.getMimeEncoder().encodeToString(octets) + "\r\n";
    }

    static String base64(String text) {
        return base64(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A DOS/Windows executable's first octets (enough for the magic). */
    static byte[] executable() {
        byte[] exe = new byte[300];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[2] = (byte) 0x90;
        for (int i = 3; i < exe.length; i++) {
            exe[i] = (byte) (i * 7);
        }
        return exe;
    }
}
