package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.dkim.DkimResult.Result;
import dev.mailgateway.mailauth.dkim.PythonDkim.Signing;
import dev.mailgateway.testing.DnsServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ours against dkimpy, an independent implementation, on messages that reach into canonicalization's corners:
 * dkimpy signs them in every canonicalization with RSA and Ed25519, and both verifiers must agree on each, as
 * signed and after the changes mail meets on its way (whitespace, folding, case, empty lines, added fields).
 */
class DkimInteropTest {

    private static final List<String> CANONICALIZATIONS =
            List.of("relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed");

    private static final String HEAD = "From: Alice <alice@example.test>\r\nTo: bob@example.org\r\n"
            + "Subject: Interop\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <interop@example.test>\r\n";

    /** name → message; each reaches a corner of §3.4. */
    private static final Map<String, String> CORPUS = new LinkedHashMap<>();

    static {
        CORPUS.put("plain", HEAD + "\r\nHello.\r\n");
        CORPUS.put("folded and spaced headers", "From: Alice\r\n  <alice@example.test>\r\nTo:bob@example.org\r\n"
                + "Subject:   Folded\r\n\t  over   lines  \r\nX-Tab:\tvalue\t\t\r\n\r\nBody.\r\n");
        CORPUS.put("trailing whitespace and empty lines", HEAD + "\r\nline one  \r\n\tindented\t \r\n\r\n \r\n\r\n");
        CORPUS.put("empty body", HEAD + "\r\n");
        CORPUS.put("no empty line after the header", HEAD);
        CORPUS.put("body without a final line end", HEAD + "\r\nfirst\r\nlast line");
        CORPUS.put("body of empty lines", HEAD + "\r\n\r\n\r\n\r\n");
        CORPUS.put("8-bit header and body", "From: J\u00fcrgen <juergen@example.test>\r\nSubject: Gr\u00fc\u00dfe"
                + " \u2013 \u00e9t\u00e9\r\n\r\n\u00dcn\u00efc\u00f6d\u00e9  text\r\n");
        CORPUS.put("repeated and mixed-case fields", "from: alice@example.test\r\nX-Dup: first\r\nSUBJECT: Up\r\n"
                + "x-dup: second\r\n\r\nBody.\r\n");
        CORPUS.put("whitespace-only lines inside", HEAD + "\r\na\r\n \t \r\n\t\r\nb \r\n");
        CORPUS.put("long folded field", HEAD + "X-Long: " + "word ".repeat(40).replace("word word word ",
                "word word word\r\n\t") + "\r\n\r\nBody.\r\n");
        CORPUS.put("lone CR in the body", HEAD + "\r\na\rb\r\nc \r d\r\n");
    }

    /** Changes on the way: name → change of the signed message's octets (ISO-8859-1 text). */
    private static final Map<String, UnaryOperator<String>> CHANGES = new LinkedHashMap<>();

    static {
        CHANGES.put("WSP added at the ends of body lines", body(b -> b.replace("\r\n", " \t\r\n")));
        CHANGES.put("empty lines appended", body(b -> b + "\r\n\r\n"));
        CHANGES.put("WSP runs widened in the body", body(b -> b.replace(" ", "  ")));
        CHANGES.put("text appended to the body", body(b -> b + "tail\r\n"));
        CHANGES.put("Subject refolded", header(h -> h.replaceFirst("(?i)(\r\nSubject:) ?", "$1\r\n\t ")));
        CHANGES.put("Subject name in capitals", header(h -> h.replaceFirst("(?i)\r\nSubject:", "\r\nSUBJECT:")));
        CHANGES.put("WSP widened in the Subject", header(h -> h.replaceFirst("(?i)(\r\nSubject:[^\r]*?) ", "$1  ")));
        CHANGES.put("field added on top", m -> "X-Added: yes\r\n" + m);
        CHANGES.put("DKIM-Signature refolded", m -> m.replaceFirst("; ", ";\r\n\t"));
        CHANGES.put("second X-Dup added", header(h -> h + "X-Dup: third\r\n"));
    }

    private static PythonDkim python;
    private static DnsServer server;
    private static Dns dns;
    private static final Map<String, TestKeys.Key> KEYS = new LinkedHashMap<>();
    private static final List<Signed> SIGNED = new ArrayList<>();

    /** A message as dkimpy signed it, and how. */
    private record Signed(String name, String canonicalization, String selector, String message) {
        @Override
        public String toString() {
            return name + " (" + selector + ", " + canonicalization + ")";
        }
    }

    @BeforeAll
    static void signCorpus() throws Exception {
        python = PythonDkim.required();
        server = DnsServer.start();
        dns = Dns.create(server.address(), Duration.ofSeconds(5));
        KEYS.put("rsa", TestKeys.rsa(2048));
        KEYS.put("ed", TestKeys.ed25519());
        KEYS.forEach((selector, key) -> key.publish(server, selector, "example.test"));

        List<Signing> jobs = new ArrayList<>();
        List<Signed> unsigned = new ArrayList<>();
        CORPUS.forEach((name, message) -> KEYS.forEach((selector, key) -> {
            for (String canonicalization : CANONICALIZATIONS) {
                Signing signing = new Signing(message.getBytes(StandardCharsets.UTF_8), selector, key,
                        canonicalization);
                // over-signed: X-Dup once more than it occurs, so that a third one breaks the signature
                jobs.add(name.startsWith("repeated") ? signing.headers("from", "x-dup", "x-dup", "x-dup", "subject")
                        : signing);
                unsigned.add(new Signed(name, canonicalization, selector, null));
            }
        }));
        List<byte[]> fields = python.signatures(jobs);
        for (int i = 0; i < jobs.size(); i++) {
            Signed job = unsigned.get(i);
            SIGNED.add(new Signed(job.name(), job.canonicalization(), job.selector(),
                    new String(PythonDkim.prepend(fields.get(i), jobs.get(i).message()),
                            StandardCharsets.ISO_8859_1)));
        }
    }

    @AfterAll
    static void close() {
        dns.close();
        server.close();
    }

    @Test
    void everyMessageDkimpySignsPassesHereAndThere() throws Exception {
        Map<String, String> messages = new LinkedHashMap<>();
        SIGNED.forEach(signed -> messages.put(signed.toString(), signed.message()));

        List<String> disagreements = compare(messages);

        assertThat(disagreements).isEmpty();
        assertThat(verdicts(messages)).as("dkimpy's verdicts").containsOnly(true);
    }

    @Test
    void oursAndDkimpysVerdictsAgreeOnChangedMessages() throws Exception {
        Map<String, String> messages = new LinkedHashMap<>();
        for (Signed signed : SIGNED) {
            CHANGES.forEach((change, operator) ->
                    messages.put(signed + ", " + change, operator.apply(signed.message())));
        }

        List<String> disagreements = compare(messages);

        assertThat(disagreements).as("%d of %d changed messages", disagreements.size(), messages.size()).isEmpty();
        assertThat(verdicts(messages)).as("the changes break some signatures and not others").contains(true, false);
    }

    /** Each message verified by both, per key: "name: dkimpy ..., ours ..." for each one they disagree on. */
    private static List<String> compare(Map<String, String> messages) throws Exception {
        List<String> disagreements = new ArrayList<>();
        List<String> names = new ArrayList<>(messages.keySet());
        List<Boolean> theirs = verdicts(messages);
        DkimVerifier verifier = new DkimVerifier(dns);
        for (int i = 0; i < names.size(); i++) {
            byte[] message = messages.get(names.get(i)).getBytes(StandardCharsets.ISO_8859_1);
            List<DkimResult> results = verifier.verify(new ByteArrayInputStream(message)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            DkimResult ours = results.get(0);
            if (theirs.get(i) != (ours.result() == Result.PASS)) {
                disagreements.add(names.get(i) + ": dkimpy " + (theirs.get(i) ? "pass" : "fail") + ", ours "
                        + ours.result().keyword() + " (" + ours.reason() + ")");
            }
        }
        return disagreements;
    }

    /** dkimpy's verdicts, in the order of the messages (one Python run per key). */
    private static List<Boolean> verdicts(Map<String, String> messages) throws Exception {
        Map<String, List<Integer>> bySelector = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(messages.keySet());
        for (int i = 0; i < names.size(); i++) {
            bySelector.computeIfAbsent(names.get(i).contains("(rsa,") ? "rsa" : "ed", s -> new ArrayList<>()).add(i);
        }
        Boolean[] verdicts = new Boolean[names.size()];
        for (Map.Entry<String, List<Integer>> entry : bySelector.entrySet()) {
            List<byte[]> batch = entry.getValue().stream()
                    .map(i -> messages.get(names.get(i)).getBytes(StandardCharsets.ISO_8859_1)).toList();
            List<Boolean> answers = python.verdicts(batch, KEYS.get(entry.getKey()).record());
            for (int j = 0; j < answers.size(); j++) {
                verdicts[entry.getValue().get(j)] = answers.get(j);
            }
        }
        return List.of(verdicts);
    }

    private static UnaryOperator<String> body(UnaryOperator<String> change) {
        return message -> {
            int end = message.indexOf("\r\n\r\n");
            return end < 0 ? message : message.substring(0, end + 4) + change.apply(message.substring(end + 4));
        };
    }

    /** The header section with a CRLF before its first field, so that every field starts after one. */
    private static UnaryOperator<String> header(UnaryOperator<String> change) {
        return message -> {
            int end = message.indexOf("\r\n\r\n");
            String header = end < 0 ? message : message.substring(0, end + 2);
            String rest = end < 0 ? "" : message.substring(end + 2);
            return change.apply("\r\n" + header).substring(2) + rest;
        };
    }
}
