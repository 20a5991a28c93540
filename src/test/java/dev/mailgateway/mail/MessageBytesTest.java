package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageBytesTest {

    private static int length(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        return MessageBytes.headerLength(bytes, bytes.length);
    }

    @Test
    void theHeaderSectionEndsWithTheEmptyLine() {
        assertThat(length("A: 1\r\nB: 2\r\n\r\nbody\r\n\r\n")).isEqualTo("A: 1\r\nB: 2\r\n\r\n".length());
        assertThat(length("\r\nbody")).as("no fields").isEqualTo(2);
        assertThat(length("A: 1\r\nB: 2\r\n")).as("no body: all of it").isEqualTo("A: 1\r\nB: 2\r\n".length());
    }
}
