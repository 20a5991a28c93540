package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compiler directives the gateway adds at start ({@link CompilerDirectives}): HotSpot accepts them, and they
 * do what they say, seen in a child JVM's -XX:+PrintCompilation lines (-Xbatch: every compilation finishes before
 * the code goes on, so the lines do not depend on the machine's load). HotSpot takes a pattern that matches nothing
 * and a key it half knows (it compares prefixes) without a word, so only the effect shows that the file works.
 */
class CompilerDirectivesTest {

    /** A compilation at tier 4 (C2): timestamp, compile id, attribute flags (OSR, synchronized...), level, method. */
    private static final Pattern C2_COMPILED = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+[%sbn!]*\\s*4\\s+(\\S+::\\S+)");

    @Test
    void frameworkCodeIsLeftToC1AndTheByteLoopsStayWithC2() throws Exception {
        String lines = probe();

        assertThat(lines).contains("answer: 2 compiler directives added");
        assertThat(lines).contains("made not compilable on level 4  org.apache.camel.util.StringHelper::countChar");
        assertThat(c2Compiled(lines)).contains("dev.mailgateway.relay.DotStuffer::write")
                .noneMatch(method -> method.startsWith("org.apache.camel."));
    }

    @Test
    void switchedOffTheJvmKeepsItsDefaults() throws Exception {
        String lines = probe("-D" + CompilerDirectives.SWITCH + "=false");

        assertThat(lines).contains("answer: off").doesNotContain("made not compilable on level 4");
        assertThat(c2Compiled(lines)).contains("org.apache.camel.util.StringHelper::countChar");
    }

    @Test
    void everyClassOfOursTheDirectivesNameExists() throws IOException, ClassNotFoundException {
        String directives;
        try (InputStream in = CompilerDirectives.class.getResourceAsStream("compiler-directives.json")) {
            directives = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        List<String> ours = Pattern.compile("\"(dev/mailgateway/[^\"*]+)\\*\\.\\*\"").matcher(directives).results()
                .map(match -> match.group(1).replace('/', '.')).toList();

        assertThat(ours).hasSizeGreaterThanOrEqualTo(5);
        for (String name : ours) {
            assertThat(Class.forName(name, false, getClass().getClassLoader())).as(name).isNotNull();
        }
    }

    private static List<String> c2Compiled(String lines) {
        return lines.lines().filter(line -> !line.contains("made not")).map(C2_COMPILED::matcher)
                .filter(Matcher::find).map(match -> match.group(1)).toList();
    }

    private static String probe(String... options) throws Exception {
        List<String> command = Stream.of(
                Stream.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xbatch",
                        "-XX:+PrintCompilation", "-cp", System.getProperty("java.class.path")),
                Stream.of(options), Stream.of(CompilerDirectivesProbe.class.getName())).flatMap(s -> s).toList();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
            String lines = new String(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(lines).isZero();
            return lines;
        } finally {
            process.destroyForcibly();
        }
    }
}
