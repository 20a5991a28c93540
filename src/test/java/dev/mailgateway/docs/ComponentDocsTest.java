package dev.mailgateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/components/ holds each component's options table, made from the metadata the build generates: this test
 * makes them again and fails when the checked-in files differ, so they never go stale. With
 * {@code -Ddocs.update=true} it writes them instead.
 */
class ComponentDocsTest {

    private static final Path DIR = Path.of("docs/components");

    @Test
    void everyComponentsOptionsTableIsCurrent() throws Exception {
        boolean update = Boolean.getBoolean("docs.update");
        for (String scheme : ComponentJson.SCHEMES) {
            Path file = DIR.resolve(scheme + ".md");
            String expected = ComponentDocs.markdown(ComponentJson.of(scheme));
            if (update) {
                Files.createDirectories(DIR);
                Files.writeString(file, expected, StandardCharsets.UTF_8);
            }
            assertThat(file).as("%s is missing: mvn -B -q test -Dtest=ComponentDocsTest -Ddocs.update=true", file)
                    .exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("%s is stale: mvn -B -q test -Dtest=ComponentDocsTest -Ddocs.update=true", file)
                    .isEqualTo(expected);
        }
    }
}
