package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading the header section off the message stream. */
class HeaderSectionTest {

    @Test
    void fieldsKeepTheirFoldingAndTheStreamIsLeftAtTheBody() throws IOException {
        InputStream in = stream("Subject: one\r\n two\r\nFROM : a@example.test\r\n\r\nbody\r\n");

        HeaderSection section = HeaderSection.read(in, 1000);

        assertThat(section.size()).isEqualTo(2);
        assertThat(section.field(0)).isEqualTo("Subject: one\r\n two");
        assertThat(section.name(1)).isEqualTo("from");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("body\r\n");
        assertThat(section.truncated()).isFalse();
    }

    @Test
    void bareLineFeedsEndLinesAsCrLfDoes() throws IOException {
        HeaderSection section = HeaderSection.read(stream("A: 1\n\tfolded\nB: 2\n\nbody"), 1000);

        assertThat(section.field(0)).isEqualTo("A: 1\r\n\tfolded");
        assertThat(section.field(1)).isEqualTo("B: 2");
    }

    @Test
    void messageWithoutBodyIsAllHeader() throws IOException {
        HeaderSection section = HeaderSection.read(stream("A: 1\r\nB: 2"), 1000);

        assertThat(section.size()).isEqualTo(2);
        assertThat(section.field(1)).isEqualTo("B: 2");
    }

    @Test
    void repeatedNamesAreIndexedTopToBottom() throws IOException {
        HeaderSection section = HeaderSection.read(stream("Received: 1\r\nX: y\r\nreceived: 2\r\n\r\n"), 1000);

        assertThat(section.indexOf(Set.of("received", "absent"))).containsExactly(
                java.util.Map.entry("received", List.of(0, 2)));
    }

    @Test
    void pastTheLimitOnlyWholeFieldsAreKept() throws IOException {
        HeaderSection section = HeaderSection.read(stream("A: 1\r\nB: 2\r\n 3\r\nC: 4\r\n\r\n"), 14);

        assertThat(section.truncated()).isTrue();
        assertThat(section.size()).isEqualTo(1); // B may have gone on: it is not known whole
        assertThat(section.field(0)).isEqualTo("A: 1");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
