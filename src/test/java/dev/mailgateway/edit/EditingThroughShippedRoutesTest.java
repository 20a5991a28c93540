package dev.mailgateway.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three blocks in the shipped inbound route (a copy of routes/inbound.yaml with these steps before the spool,
 * the other shipped routes as they are), over SMTP, checked at a real next hop byte for byte: what arrives is what
 * the client sent with only the intended header lines changed.
 * <pre>
 * every message:   mail-edit:header  remove=X-Internal-*,X-Other  set=X-Gateway: edited  add=X-Note: Grüße aus Köln
 * mx:              mail-edit:subject-tag?tag=[EXTERNAL]
 * submission:      mail-edit:strip-received
 * submissions:     mail-edit:strip-received?hideClient=false
 * </pre>
 */
class EditingThroughShippedRoutesTest {

    private static final String STEPS = """
                    # mail-edit steps of EditingThroughShippedRoutesTest
                    - to:
                        uri: mail-edit:header
                        parameters:
                          remove: "X-Internal-*,X-Other"
                          set: "X-Gateway: edited"
                          add: "X-Note: Grüße aus Köln"
                    - choice:
                        when:
                          - expression:
                              simple:
                                expression: "${header.SmtpdListener} == 'mx'"
                            steps:
                              - to:
                                  uri: "mail-edit:subject-tag?tag=[EXTERNAL]"
                          - expression:
                              simple:
                                expression: "${header.SmtpdListener} == 'submission'"
                            steps:
                              - to:
                                  uri: mail-edit:strip-received
                        otherwise:
                          steps:
                            - to:
                                uri: "mail-edit:strip-received?hideClient=false"
            """;
    private static final String BEFORE = "        - process:\n            ref: spoolEnvelope\n";
    private static final String NOTE = "X-Note: =?UTF-8?B?R3LDvMOfZQ==?= aus =?UTF-8?B?S8O2bG4=?=\r\n";
    /**
     * What may be on top of the gateway's Received field: ours, and what other blocks of the shipped route write
     * (their content is their tests' business).
     */
    private static final Set<String> ON_TOP = Set.of("X-Note", "X-Gateway", "Subject", "X-Spam-Flag", "X-Spam-Score",
            "X-Spam-Status", "Authentication-Results");
    private static final String PASSWORD = "n0t-guessable";

    @TempDir
    static Path dir;
    private static Sink next;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "carol:" + PasswordHash.bcrypt(PASSWORD) + "\n");
        String shipped = Files.readString(Path.of("routes/inbound.yaml"));
        assertThat(shipped).as("the step the test inserts before").contains(BEFORE);
        Path inbound = Files.writeString(dir.resolve("inbound.yaml"), shipped.replace(BEFORE, STEPS + BEFORE));
        List<String> routes = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("inbound.yaml"))
                    .forEach(f -> routes.add("file:" + f));
        }
        routes.add("file:" + inbound);
        next = Sink.start("tls=none");
        gateway = TestGateway.start(dir.resolve("gateway"), Map.of(
                "camel.main.routes-include-pattern", String.join(",", routes),
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address(),
                "gateway.submission.enabled", "true",
                "gateway.submissions.enabled", "true",
                "gateway.auth.users", users.toString()));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (next != null) {
            next.close();
        }
    }

    /** The next hop's copy, in three parts: the fields above the gateway's Received field, that field, the rest. */
    private record Arrived(String above, String ours, String rest) {
    }

    private static Arrived atNextHop(String token) {
        await().atMost(Duration.ofSeconds(60)).until(() -> next.tokens().contains(token));
        byte[] content = next.received().stream()
                .filter(r -> new String(r.content(), StandardCharsets.UTF_8).contains("X-Test-Token: " + token))
                .findFirst().orElseThrow().content();
        String text = new String(content, StandardCharsets.UTF_8);
        Matcher received = Pattern.compile("(?m)^Received:").matcher(text);
        assertThat(received.find()).isTrue();
        Matcher end = Pattern.compile("\r\n(?![ \t])").matcher(text);
        assertThat(end.find(received.start())).isTrue();
        Arrived arrived = new Arrived(text.substring(0, received.start()), text.substring(received.start(), end.end()),
                text.substring(end.end()));
        for (String field : arrived.above().split("\r\n(?![ \t])")) {
            String name = field.substring(0, field.indexOf(':'));
            assertThat(ON_TOP).as("a field on top: " + field).contains(name);
        }
        return arrived;
    }

    private static String message(String token, String subjectLine) {
        return "Received: from app.corp.example ([10.1.2.3])\r\n\tby relay.corp.example; Fri, 4 Dec 2026 09:00:00"
                + " +0000\r\n"
                + "From: Sender <sender@src.test>\r\nTo: user@dest.test\r\n" + subjectLine
                + "X-Internal-Route: hop1,\r\n\thop2\r\n"
                + "x-internal-id: 42\r\n"
                + "X-Other: o\r\n"
                + "X-Gateway: forged\r\n"
                + "X-Originating-IP: [10.1.2.3]\r\n"
                + "X-Test-Token: " + token + "\r\nMessage-ID: <" + token + "@src.test>\r\n\r\n"
                + "X-Internal-Route: a body line that looks like a field stays\r\n"
                + "Ünïcode in the body stays as it was.\r\n";
    }

    /** The message as the header step leaves it: only those lines gone (the new ones go on top). */
    private static String headerStepped(String sent) {
        return sent.replace("X-Internal-Route: hop1,\r\n\thop2\r\n", "").replace("x-internal-id: 42\r\n", "")
                .replace("X-Other: o\r\n", "").replace("X-Gateway: forged\r\n", "");
    }

    private static String queueId(String reply) {
        return reply.substring(reply.lastIndexOf(' ') + 1);
    }

    @Test
    void fromTheMxTheHeaderStepEditsItsFieldsAndTheSubjectIsTagged() throws Exception {
        String token = UUID.randomUUID().toString();
        String sent = message(token, "Subject: Lunch on Friday\r\n");
        try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.sendMessage("sender@src.test", sent, "user@dest.test");
        }
        Arrived arrived = atNextHop(token);
        assertThat(arrived.above()).startsWith(NOTE + "X-Gateway: edited\r\n").doesNotContain("Subject:");
        assertThat(arrived.ours()).startsWith("Received: from client.test ([127.0.0.1])\r\n");
        assertThat(arrived.rest()).isEqualTo(headerStepped(sent)
                .replace("Subject: Lunch on Friday\r\n", "Subject: [EXTERNAL] Lunch on Friday\r\n"));
    }

    @Test
    void underSmtpUtf8TheNoteIsUtf8AndAnEncodedSubjectKeepsItsEncodedWords() throws Exception {
        String token = UUID.randomUUID().toString();
        String sent = message(token, "Subject: =?UTF-8?B?w6RwZmVs?=\r\n =?UTF-8?Q?_und_Birnen?=\r\n");
        try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.command("MAIL FROM:<sender@src.test> SMTPUTF8", "250 ");
            client.command("RCPT TO:<user@dest.test>", "250 ");
            client.command("DATA", "354 ");
            client.sendRaw(sent + ".\r\n");
            client.expect("250 ");
        }
        Arrived arrived = atNextHop(token);
        assertThat(arrived.above()).startsWith("X-Note: Grüße aus Köln\r\nX-Gateway: edited\r\n");
        assertThat(arrived.rest()).isEqualTo(headerStepped(sent).replace("Subject: =?UTF-8?B?w6RwZmVs?=",
                "Subject: [EXTERNAL] =?UTF-8?B?w6RwZmVs?="));
    }

    @Test
    void aMessageWithoutSubjectGetsTheTagAsItsSubjectAndAMessageTaggedAlreadyKeepsItsSubject() throws Exception {
        String none = UUID.randomUUID().toString();
        String tagged = UUID.randomUUID().toString();
        String withoutSubject = message(none, "");
        String taggedAlready = message(tagged, "Subject: [EXTERNAL] Lunch\r\n");
        try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.sendMessage("sender@src.test", withoutSubject, "user@dest.test");
            client.sendMessage("sender@src.test", taggedAlready, "user@dest.test");
        }
        Arrived first = atNextHop(none);
        assertThat(first.above()).startsWith("Subject: [EXTERNAL]\r\n" + NOTE + "X-Gateway: edited\r\n");
        assertThat(first.rest()).isEqualTo(headerStepped(withoutSubject));
        assertThat(atNextHop(tagged).rest()).isEqualTo(headerStepped(taggedAlready));
    }

    @Test
    void fromSubmissionTheHopsBeforeUsAndTheClientAreStripped() throws Exception {
        String token = UUID.randomUUID().toString();
        String sent = "Received: from desk.corp.example (desk.corp.example [10.1.2.4])\r\n"
                + "\tby app.corp.example with ESMTP; Fri, 4 Dec 2026 08:59:59 +0000\r\n" + message(token,
                "Subject: Lunch on Friday\r\n");
        String reply;
        try (SmtpClient client = new SmtpClient(gateway.port("submission"))) {
            client.expect("220 ");
            client.command("EHLO client.test", "250 ");
            client.command("STARTTLS", "220 ");
            client.handshake();
            client.command("EHLO client.test", "250 ");
            client.command("AUTH PLAIN " + plain("carol", PASSWORD), "235 ");
            reply = client.sendMessage("sender@src.test", sent, "user@dest.test");
        }
        Arrived arrived = atNextHop(token);
        assertThat(arrived.above()).startsWith(NOTE + "X-Gateway: edited\r\n");
        assertThat(arrived.ours()).matches("Received: by gw\\.test with ESMTPSA id " + queueId(reply)
                + "\r\n\tfor <user@dest\\.test>; \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\r\n");
        String stripped = headerStepped(sent).replaceAll("Received: [^\r]*\r\n\t[^\r]*\r\n", "")
                .replace("X-Originating-IP: [10.1.2.3]\r\n", "");
        assertThat(stripped).startsWith("From: ");
        assertThat(arrived.rest()).isEqualTo(stripped);
    }

    @Test
    void fromSubmissionsWithHideClientOffOurFieldStaysWhole() throws Exception {
        String token = UUID.randomUUID().toString();
        String sent = message(token, "Subject: Lunch on Friday\r\n");
        String reply;
        try (SmtpClient client = SmtpClient.connectImplicitTls(gateway.port("submissions"))) {
            client.command("EHLO client.test", "250 ");
            client.command("AUTH PLAIN " + plain("carol", PASSWORD), "235 ");
            reply = client.sendMessage("sender@src.test", sent, "user@dest.test");
        }
        Arrived arrived = atNextHop(token);
        assertThat(arrived.ours()).startsWith("Received: from client.test ([127.0.0.1])\r\n\t(using TLSv1.")
                .contains("\r\n\tby gw.test with ESMTPSA id " + queueId(reply) + "\r\n\tfor <user@dest.test>; ");
        assertThat(arrived.rest()).isEqualTo(headerStepped(sent).replaceAll("Received: [^\r]*\r\n\t[^\r]*\r\n", "")
                .replace("X-Originating-IP: [10.1.2.3]\r\n", ""));
    }

    @Test
    void aDkimSignatureStillVerifiesAfterFieldsWereRemovedAndAdded() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        String token = UUID.randomUUID().toString();
        // the subject carries the tag already, so only the header step's lines change; simple/simple: any octet
        // changed in a signed field or the body breaks it
        String message = message(token, "Subject: [EXTERNAL] Quarterly report\r\n")
                .replace("Message-ID:", "Date: Fri, 4 Dec 2026 09:00:00 +0000\r\nMessage-ID:");
        DKIMSigner signer = new DKIMSigner("v=1; a=rsa-sha256; c=simple/simple; d=src.test; s=sel; "
                + "h=from:to:subject:date:message-id; bh=; b=;", key.getPrivate());
        String signed = signer.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8))) + "\r\n"
                + message;
        try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            client.sendMessage("sender@src.test", signed, "user@dest.test");
        }
        Arrived arrived = atNextHop(token);
        assertThat(arrived.rest()).isEqualTo(headerStepped(signed)).doesNotContain("X-Internal-Route: hop1");
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
        PublicKeyRecordRetriever dns = (method, selector, domain) -> List.of(record);
        String delivered = arrived.above() + arrived.ours() + arrived.rest();
        assertThat(verifies(dns, delivered)).as("the signature at the next hop").isTrue();
        assertThat(verifies(dns, delivered.replace("stays as it was", "stays as it is"))).as("the check can fail")
                .isFalse();
    }

    private static boolean verifies(PublicKeyRecordRetriever dns, String message) throws Exception {
        DKIMVerifier verifier = new DKIMVerifier(dns);
        try {
            List<SignatureRecord> valid = verifier.verify(
                    new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
            return valid != null && !valid.isEmpty() && verifier.hasAnyValidSignature();
        } catch (FailException e) {
            return false;
        }
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }
}
