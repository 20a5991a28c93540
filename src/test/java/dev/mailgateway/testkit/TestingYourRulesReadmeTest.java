package dev.mailgateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's "Testing your rules" shows ExampleRouteTests as it is: each paragraph of its example (the class opening,
 * the extension, each test method) is in ExampleRouteTests.java word for word, so the example cannot drift from a
 * test that runs.
 */
class TestingYourRulesReadmeTest {

    private static final Pattern EXAMPLE = Pattern.compile(
            "### Testing your rules\\n.*?```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmeExampleIsTheRunningExampleTest() throws Exception {
        Matcher m = EXAMPLE.matcher(Files.readString(Path.of("README.md")));
        assertThat(m.find()).as("a java example under README's \"Testing your rules\"").isTrue();
        String source = Files.readString(Path.of("src/test/java/dev/mailgateway/testkit/ExampleRouteTests.java"));
        String example = m.group(1).strip();
        assertThat(example).endsWith("}");
        for (String paragraph : example.substring(0, example.length() - 1).split("\\n\\s*\\n")) {
            assertThat(source).as("ExampleRouteTests.java").contains(paragraph.strip());
        }
    }
}
