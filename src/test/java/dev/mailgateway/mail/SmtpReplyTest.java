package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void encodesOneAndSeveralLines() {
        assertThat(new String(SmtpReply.of(250, "2.0.0", "Ok").wire(), StandardCharsets.US_ASCII))
                .isEqualTo("250 2.0.0 Ok\r\n");
        assertThat(new String(SmtpReply.multiline(250, null, List.of("host", "SIZE 10")).wire(),
                StandardCharsets.US_ASCII)).isEqualTo("250-host\r\n250 SIZE 10\r\n");
    }

    @Test
    void controlCharactersCannotSplitAReply() {
        assertThat(new String(SmtpReply.of(550, "5.7.1", "a\r\n250 b").wire(), StandardCharsets.US_ASCII))
                .isEqualTo("550 5.7.1 a  250 b\r\n");
    }

    @Test
    void parsesAValidRefusal() {
        SmtpReply reply = SmtpReply.parseRefusal("550 5.7.1 Sender rejected");
        assertThat(reply.code()).isEqualTo(550);
        assertThat(reply.status()).isEqualTo("5.7.1");
        assertThat(reply.text()).isEqualTo("Sender rejected");
        assertThat(SmtpReply.parseRefusal("451 4.7.1 Try later").isTransient()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"250 2.0.0 Ok", "550 4.7.1 class mismatch", "450 5.7.1 class mismatch", "550 Rejected",
            "550 5.7.1", "550 5.7.1 a\r\n550 5.7.1 b", "5500 5.7.1 x", "abc", "650 6.0.0 x"})
    void refusesInvalidRefusals(String text) {
        assertThatThrownBy(() -> SmtpReply.parseRefusal(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
