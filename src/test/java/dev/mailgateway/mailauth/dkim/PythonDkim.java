package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's python3-dkim (dkimpy 1.1), an implementation independent of ours, signing test messages and verifying
 * them, many jobs per Python process (src/test/resources/dkim/python_dkim.py). It is required: without it the tests
 * fail and say what to install (CI installs it), rather than passing without having checked anything.
 */
final class PythonDkim {

    /** Debian's interpreter first: python3-dkim is installed for it, and a python3 earlier on PATH may lack it. */
    private static final List<String> INTERPRETERS = List.of("/usr/bin/python3", "python3");
    private static final long TIMEOUT_SECONDS = 300; // generous: a busy 2-core machine signing megabytes

    /** One signing job: the message, the key and what dkimpy is told to do. */
    record Signing(byte[] message, String selector, String domain, TestKeys.Key key, String canonicalization,
            List<String> headers, boolean length, String identity) {

        Signing(byte[] message, String selector, TestKeys.Key key, String canonicalization) {
            this(message, selector, "example.test", key, canonicalization, null, false, null);
        }

        Signing headers(String... names) {
            return new Signing(message, selector, domain, key, canonicalization, List.of(names), length, identity);
        }

        Signing withLength() {
            return new Signing(message, selector, domain, key, canonicalization, headers, true, identity);
        }

        Signing identity(String value) {
            return new Signing(message, selector, domain, key, canonicalization, headers, length, value);
        }
    }

    private final String interpreter;
    private final Path script;

    private PythonDkim(String interpreter, Path script) {
        this.interpreter = interpreter;
        this.script = script;
    }

    /** The Python that has dkimpy and PyNaCl (for Ed25519); fails the test when there is none. */
    static PythonDkim required() throws IOException, InterruptedException {
        Path script = Files.createTempFile("python_dkim", ".py");
        script.toFile().deleteOnExit();
        try (InputStream in = PythonDkim.class.getResourceAsStream("/dkim/python_dkim.py")) {
            Files.write(script, in.readAllBytes());
        }
        for (String interpreter : INTERPRETERS) {
            try {
                Process probe = new ProcessBuilder(interpreter, "-c", "import dkim, nacl")
                        .redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return new PythonDkim(interpreter, script);
                }
                probe.destroyForcibly();
            } catch (IOException e) {
                // no such interpreter: try the next
            }
        }
        return fail("python3-dkim (dkimpy) and python3-nacl are needed to cross-check DKIM against an independent "
                + "implementation, and no Python among " + INTERPRETERS + " imports them: "
                + "apt-get install -y python3-dkim python3-nacl");
    }

    /** The message with dkimpy's DKIM-Signature field on top. */
    byte[] signed(Signing signing) throws IOException, InterruptedException {
        return prepend(signatures(List.of(signing)).get(0), signing.message());
    }

    /** The DKIM-Signature fields (with their CRLF) dkimpy makes, one per job, each over its own message. */
    List<byte[]> signatures(List<Signing> jobs) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (Signing job : jobs) {
            lines.add(String.join(" ", "sign", b64(job.message()), b64(job.selector()), b64(job.domain()),
                    b64(job.key().pythonPrivateKey()), job.key().algorithm(), job.canonicalization(),
                    job.headers() == null ? "-" : b64(String.join(":", job.headers())), job.length() ? "1" : "0",
                    job.identity() == null ? "-" : b64(job.identity())));
        }
        List<byte[]> fields = new ArrayList<>();
        List<String> answers = run(lines);
        for (int i = 0; i < answers.size(); i++) {
            fields.add(Base64.getDecoder().decode(ok(answers.get(i), "signing job " + i)));
        }
        return fields;
    }

    /** dkimpy's verdict on each message's first signature, with {@code txt} as the key record: true for a pass. */
    List<Boolean> verdicts(List<byte[]> messages, String txt) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (byte[] message : messages) {
            lines.add(String.join(" ", "verify", b64(message), b64(txt)));
        }
        List<Boolean> verdicts = new ArrayList<>();
        List<String> answers = run(lines);
        for (int i = 0; i < answers.size(); i++) {
            verdicts.add(ok(answers.get(i), "verifying job " + i).equals("pass"));
        }
        return verdicts;
    }

    static byte[] prepend(byte[] field, byte[] message) {
        byte[] out = new byte[field.length + message.length];
        System.arraycopy(field, 0, out, 0, field.length);
        System.arraycopy(message, 0, out, field.length, message.length);
        return out;
    }

    private List<String> run(List<String> lines) throws IOException, InterruptedException {
        Path input = Files.createTempFile("python_dkim", ".in");
        Path errors = Files.createTempFile("python_dkim", ".err");
        try {
            Files.write(input, lines, StandardCharsets.US_ASCII);
            Process process = new ProcessBuilder(interpreter, script.toString())
                    .redirectInput(input.toFile()).redirectError(errors.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("python_dkim.py did not finish within " + TIMEOUT_SECONDS + " s");
            }
            List<String> answers = output.lines().toList();
            if (process.exitValue() != 0 || answers.size() != lines.size()) {
                fail("python_dkim.py exited " + process.exitValue() + " with " + answers.size() + " answers to "
                        + lines.size() + " jobs: " + Files.readString(errors));
            }
            return answers;
        } finally {
            Files.deleteIfExists(input);
            Files.deleteIfExists(errors);
        }
    }

    private static String ok(String answer, String job) {
        if (!answer.startsWith("ok ")) {
            String why = answer.startsWith("error ")
                    ? new String(Base64.getDecoder().decode(answer.substring(6)), StandardCharsets.UTF_8) : answer;
            fail("dkimpy refused " + job + ": " + why);
        }
        return answer.substring(3);
    }

    private static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
