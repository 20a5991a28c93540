package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bare CR and LF become CRLF however the source hands out its octets and however they are asked for. */
class WireLineEndingsTest {

    private static String wire(String text, int sourceChunk, int readSize) throws IOException {
        InputStream source = new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, sourceChunk)); // a CR may end one chunk, its LF start the next
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new WireLineEndings(source)) {
            if (readSize == 1) {
                for (int b; (b = in.read()) != -1; ) {
                    out.write(b);
                }
            } else {
                byte[] buffer = new byte[readSize];
                for (int n; (n = in.read(buffer, 0, readSize)) != -1; ) {
                    out.write(buffer, 0, n);
                }
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bareCrAndLfBecomeCrlfAndCrlfStays() throws IOException {
        for (int chunk : new int[] {1, 2, 3, 65536}) {
            for (int read : new int[] {1, 2, 7, 8192}) {
                assertThat(wire("a\r\nb\nc\rd\r\r\n\n\re\r", chunk, read)).as("chunk %d, read %d", chunk, read)
                        .isEqualTo("a\r\nb\r\nc\r\nd\r\n\r\n\r\n\r\ne\r\n");
                assertThat(wire("", chunk, read)).isEmpty();
                assertThat(wire("\n", chunk, read)).isEqualTo("\r\n");
                assertThat(wire("no line end", chunk, read)).isEqualTo("no line end");
            }
        }
    }

    @Test
    void randomTextMatchesTheSimpleRule() throws IOException {
        Random random = new Random(42);
        char[] alphabet = {'\r', '\n', 'x', ' '};
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String expected = text.toString().replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
            assertThat(wire(text.toString(), 1 + random.nextInt(4), 1 + random.nextInt(5))).isEqualTo(expected);
        }
    }
}
