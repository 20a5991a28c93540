package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReceivedHeadersTest {

    private static final String MESSAGE = "Received: from a by b; Sun, 29 Nov 2026 10:00:00 +0000\r\n"
            + "RECEIVED: from c\r\n\tby d (folded); Sun, 29 Nov 2026 10:00:00 +0000\r\n"
            + "Received-SPF: pass\r\n"
            + "X-Received: by e\r\n"
            + "receivedx: not a Received field\r\n"
            + "Subject: hops\r\n"
            + "\r\n"
            + "Received: in the body, not a hop\r\n";

    @Test
    void countsReceivedFieldsOfTheHeaderSectionOnly() {
        assertThat(ReceivedHeaders.count(MESSAGE.getBytes(StandardCharsets.US_ASCII))).isEqualTo(2);
    }

    @Test
    void aStreamReadInSmallPiecesCountsTheSame() throws Exception {
        InputStream trickle = new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3)); // every field split across reads
            }
        };
        assertThat(ReceivedHeaders.count(trickle)).isEqualTo(2);
    }

    @Test
    void aMessageWithoutAnEmptyLineIsAllHeaders() {
        assertThat(ReceivedHeaders.count("Received: x\nReceived: y\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(2);
        assertThat(ReceivedHeaders.count(new byte[0])).isZero();
    }
}
