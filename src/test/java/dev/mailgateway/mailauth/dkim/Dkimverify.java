package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.fail;

import dev.mailgateway.testing.DnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code dkimverify} command (python3-dkim), fed a message on standard input, with its DNS lookups
 * answered by a test's {@link DnsServer} on loopback (src/test/resources/dkim/dkimverify_loopback.py). Required:
 * without it the test fails and says what to install (CI installs it).
 */
final class Dkimverify {

    private static final Path COMMAND = Path.of("/usr/bin/dkimverify");
    private static final long TIMEOUT_SECONDS = 120;

    private Dkimverify() {
    }

    /** What dkimverify prints for the signature at this index ("signature ok" when it verifies), and its status. */
    record Verdict(int status, String output) {
        boolean ok() {
            return status == 0 && output.strip().equals("signature ok");
        }
    }

    static Verdict verify(byte[] message, DnsServer dns, int index) throws IOException, InterruptedException {
        if (!Files.isExecutable(COMMAND)) {
            fail(COMMAND + " is needed to check our signatures with an independent verifier: "
                    + "apt-get install -y python3-dkim python3-nacl");
        }
        Path script = Files.createTempFile("dkimverify_loopback", ".py");
        Path input = Files.createTempFile("dkimverify", ".eml");
        Path output = Files.createTempFile("dkimverify", ".out");
        try (InputStream in = Dkimverify.class.getResourceAsStream("/dkim/dkimverify_loopback.py")) {
            Files.write(script, in.readAllBytes());
            Files.write(input, message);
            String port = dns.address().substring(dns.address().lastIndexOf(':') + 1);
            Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), port, "--index",
                    String.valueOf(index)).redirectInput(input.toFile()).redirectOutput(output.toFile())
                    .redirectErrorStream(true).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail("dkimverify did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Verdict(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
        }
    }
}
