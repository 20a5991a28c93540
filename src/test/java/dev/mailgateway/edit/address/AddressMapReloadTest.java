package dev.mailgateway.edit.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mailgateway.files.WatchedFile;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A map file edited while the gateway runs, and one that is wrong from the start. */
class AddressMapReloadTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Instant modified = Instant.parse("2025-06-01T00:00:00Z");

    /** Writes the file with a modification time of its own (file systems may keep only seconds). */
    private Path write(String text) throws IOException {
        Path file = dir.resolve("sender-map");
        Files.writeString(file, text);
        modified = modified.plusSeconds(10);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private static String find(WatchedFile<AddressMap> map, String address) {
        AddressMap.Found found = map.current().find(MailAddress.parse(address, false));
        return found == null ? null : found.replacement();
    }

    @Test
    void anEditIsPickedUpOnceASecondHasPassed() throws IOException {
        WatchedFile<AddressMap> map = AddressMap.watch(write("a@x.example b@x.example\n"), "sender map", clock);
        assertThat(find(map, "a@x.example")).isEqualTo("b@x.example");

        write("a@x.example c@x.example\n@y.example @z.example\n");
        clock.advance(Duration.ofMillis(500));
        assertThat(find(map, "a@x.example")).as("not looked at again within a second").isEqualTo("b@x.example");

        clock.advance(Duration.ofMillis(600));
        assertThat(find(map, "a@x.example")).isEqualTo("c@x.example");
        assertThat(find(map, "kim@y.example")).isEqualTo("kim@z.example");
    }

    @Test
    void aBrokenEditKeepsTheMapLoadedBeforeAndLogsTheLine() throws IOException {
        WatchedFile<AddressMap> map = AddressMap.watch(write("a@x.example b@x.example\n"), "sender map", clock);
        AddressMap first = map.current();

        try (LogLines log = new LogLines(AddressMap.class.getName())) {
            Path file = write("a@x.example c@x.example\n# fine so far\n/^(x@y/ z@x.example\n");
            clock.advance(Duration.ofSeconds(2));
            assertThat(map.current()).isSameAs(first);
            assertThat(find(map, "a@x.example")).isEqualTo("b@x.example");
            assertThat(log.lines(Level.ERROR)).singleElement().asString()
                    .startsWith("sender map line 3: the regex does not compile").contains(file.toString())
                    .contains("keeping the rules loaded before");
        }

        write("a@x.example c@x.example\n");
        clock.advance(Duration.ofSeconds(2));
        assertThat(find(map, "a@x.example")).isEqualTo("c@x.example");
    }

    @Test
    void aBadLineAtStartIsRefusedWithFileAndLine() throws IOException {
        Path file = write("# map\n\na@x.example\n");
        assertThatThrownBy(() -> AddressMap.watch(file, "recipient map", clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recipient map line 3: nothing to replace \"a@x.example\" with (" + file + ")");
    }

    @Test
    void aMissingFileIsAnEmptyMapUntilItComes() throws IOException {
        WatchedFile<AddressMap> map = AddressMap.watch(dir.resolve("sender-map"), "sender map", clock);
        assertThat(map.current().isEmpty()).isTrue();

        write("@x.example @y.example\n");
        clock.advance(Duration.ofSeconds(1));
        assertThat(find(map, "a@x.example")).isEqualTo("a@y.example");
    }
}
