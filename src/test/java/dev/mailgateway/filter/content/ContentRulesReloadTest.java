package dev.mailgateway.filter.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config/content-rules edited while the gateway runs. */
class ContentRulesReloadTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Instant modified = Instant.parse("2025-06-01T00:00:00Z");

    /** Writes the file with a modification time of its own (file systems may keep only seconds). */
    private void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        modified = modified.plusSeconds(10);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    @Test
    void anEditIsPickedUpOnceASecondHasPassed() throws IOException {
        Path file = dir.resolve("content-rules");
        write(file, "FIRST 1 body /a/\n");
        ContentRules.Watched watched = ContentRules.watch(file, clock);
        assertThat(watched.current().names()).containsExactly("GTUBE", "FIRST");

        write(file, "FIRST 1 body /a/\nSECOND 2 body /b/\n");
        clock.advance(Duration.ofMillis(500));
        assertThat(watched.current().names()).as("not looked at again within a second")
                .containsExactly("GTUBE", "FIRST");

        clock.advance(Duration.ofMillis(600));
        assertThat(watched.current().names()).containsExactly("GTUBE", "FIRST", "SECOND");
        assertThat(watched.file()).isEqualTo(file);
    }

    @Test
    void aChangeOfSizeAloneIsAChange() throws IOException {
        Path file = dir.resolve("content-rules");
        write(file, "FIRST 1 body /a/\n");
        ContentRules.Watched watched = ContentRules.watch(file, clock);

        Files.writeString(file, "FIRST 1 body /a/\nSECOND 2 body /b/\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(modified)); // as before
        clock.advance(Duration.ofSeconds(1));

        assertThat(watched.current().names()).containsExactly("GTUBE", "FIRST", "SECOND");
    }

    @Test
    void aBrokenEditKeepsTheRulesLoadedBeforeAndSaysWhyUntilItIsFixed() throws IOException {
        Path file = dir.resolve("content-rules");
        write(file, "FIRST 1 body /a/\n");
        ContentRules.Watched watched = ContentRules.watch(file, clock);
        ContentRules first = watched.current();

        try (LogLines log = new LogLines(ContentRules.class.getName())) {
            write(file, "FIRST 1 body /a/\nSECOND two body /b/\n");
            clock.advance(Duration.ofSeconds(2));
            assertThat(watched.current()).isSameAs(first);
            clock.advance(Duration.ofSeconds(2));
            assertThat(watched.current()).isSameAs(first);

            assertThat(log.lines(Level.ERROR)).singleElement().asString()
                    .startsWith("content-rules line 2: the score is a decimal number").contains(file.toString())
                    .contains("keeping the rules loaded before");
        }

        write(file, "FIRST 1 body /a/\nSECOND 2 body /b/\n");
        clock.advance(Duration.ofSeconds(2));
        assertThat(watched.current().names()).containsExactly("GTUBE", "FIRST", "SECOND");
    }

    @Test
    void aFileThatGoesAwayLeavesGtubeAndOneThatComesIsLoaded() throws IOException {
        Path file = dir.resolve("content-rules");
        ContentRules.Watched watched = ContentRules.watch(file, clock);
        assertThat(watched.current().names()).containsExactly("GTUBE");

        write(file, "LATER 1 body /a/\n");
        clock.advance(Duration.ofSeconds(1));
        assertThat(watched.current().names()).containsExactly("GTUBE", "LATER");

        Files.delete(file);
        clock.advance(Duration.ofSeconds(1));
        assertThat(watched.current().names()).containsExactly("GTUBE");
    }

    @Test
    void aBrokenFileAtStartIsAnError() throws IOException {
        Path file = dir.resolve("content-rules");
        write(file, "# fine\n\nBROKEN 1 nowhere /a/\n");

        assertThatThrownBy(() -> ContentRules.watch(file, clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("content-rules line 3: WHERE is body, header:Field-Name or header:*");
    }

    @Test
    void rulesInUseAreMatchedAfterReload() throws IOException {
        Path file = dir.resolve("content-rules");
        write(file, "CASINO 3 body \"online casino\"\n");
        ContentRules.Watched watched = ContentRules.watch(file, clock);
        ContentScan scan = Mail.scan("Subject: x\n\nonline casino and poker\n");
        assertThat(watched.current().match(scan)).containsExactly(new RuleMatch("CASINO", 3));

        write(file, "POKER 2 body /poker/i\n");
        clock.advance(Duration.ofSeconds(1));
        assertThat(watched.current().match(scan)).containsExactly(new RuleMatch("POKER", 2));
    }
}
