package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.DnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signing keys as an operator makes them: {@code dkim-keygen} writes the key, and the DNS record it printed is
 * published on a test DNS server exactly as printed (its owner name, its strings as cut).
 */
public final class PublishedKeys {

    /** {@code <selector>._domainkey.<domain>. IN TXT "..." "..."}. */
    private static final Pattern RECORD = Pattern.compile("(\\S+)\\. IN TXT ((?:\"[^\"]{1,255}\" ?)+)");

    private PublishedKeys() {
    }

    /** What one run of dkim-keygen printed and returned. */
    public record Run(int status, String out, String err) {

        /** The record's owner name, without the final dot. */
        public String name() {
            return record().group(1);
        }

        /** The record's character-strings, as printed. */
        public List<String> strings() {
            List<String> strings = new ArrayList<>();
            Matcher string = Pattern.compile("\"([^\"]*)\"").matcher(record().group(2));
            while (string.find()) {
                strings.add(string.group(1));
            }
            return strings;
        }

        /** The record's text: its strings joined, as verifiers read it. */
        public String text() {
            return String.join("", strings());
        }

        private Matcher record() {
            String line = out.lines().filter(l -> !l.startsWith(";")).findFirst().orElseThrow();
            Matcher m = RECORD.matcher(line);
            assertThat(m.matches()).as("the record dkim-keygen printed: " + line).isTrue();
            return m;
        }
    }

    /** {@code dkim-keygen ARGS} with {@code keys} as gateway.dkim.keys. */
    public static Run keygen(Path keys, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DkimKeygen.run(args, keys, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A new key of this type (rsa, ed25519), its record published on {@code dns} as printed. */
    public static Run generate(Path keys, DnsServer dns, String domain, String selector, String type) {
        Run run = keygen(keys, domain, selector, type);
        assertThat(run.status()).as(run.err()).isZero();
        dns.txt(run.name(), run.strings().toArray(String[]::new));
        return run;
    }
}
