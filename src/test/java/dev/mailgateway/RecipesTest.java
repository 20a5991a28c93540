package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.mailauth.dkim.PublishedKeys;
import dev.mailgateway.spool.AdminAccess;
import dev.mailgateway.testing.BrokerClients;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.ShippedRoutes;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import dev.mailgateway.testing.UntrustedClients;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every recipe in README's "Recipes", loaded as it stands there (the YAML between its marker and the closing fence)
 * in place of the route file it names, the other shipped routes as they are; mail sent over SMTP, checked at a real
 * next hop and on the broker. A recipe edited in README is tested as edited; one added without a test here fails
 * {@link #everyRecipeInReadmeHasATest}.
 */
class RecipesTest {

    private static final Pattern RECIPE = Pattern.compile(
            "<!-- recipe: (\\S+) replaces (routes/\\S+\\.yaml) -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final List<String> TESTED = List.of("invoices", "compliance", "external", "internal-headers",
            "signing");
    private static final String TRUSTED = "127.0.0.1";
    private static final String UNTRUSTED = "127.0.0.63";

    private record Recipe(String file, String yaml) {
    }

    @TempDir
    Path dir;
    private DnsServer dns;
    private Sink next;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        dns = DnsServer.start(); // every name NXDOMAIN unless published: no host DNS, no SPF or DMARC to find
        next = Sink.start("tls=none");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        next.close();
        dns.close();
    }

    private static Map<String, Recipe> recipes() throws Exception {
        Map<String, Recipe> recipes = new HashMap<>();
        Matcher m = RECIPE.matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            assertThat(recipes.put(m.group(1), new Recipe(m.group(2), m.group(3)))).as("recipe " + m.group(1))
                    .isNull();
        }
        return recipes;
    }

    /** The shipped routes with the recipe's file in place of the shipped one, and the gateway on them. */
    private void startWith(String name, String... keys) throws Exception {
        Recipe recipe = recipes().get(name);
        assertThat(recipe).as("README recipe " + name).isNotNull();
        Path routes = ShippedRoutes.copyTo(dir);
        Path file = routes.resolve(Path.of(recipe.file()).getFileName());
        assertThat(file).as("a shipped route file").exists();
        Files.writeString(file, recipe.yaml());
        List<String> pairs = new ArrayList<>(List.of(
                ShippedRoutes.from(routes).getKey(), ShippedRoutes.from(routes).getValue(),
                "gateway.trusted-networks", TRUSTED + "/32",
                "gateway.relay.enabled", "true",
                "gateway.transport-map", "dest.test=" + next.address() + ",example.com=" + next.address()
                        + ",legal.example.com=" + next.address(),
                "gateway.dns.server", dns.address(),
                "gateway.events.enabled", "false"));
        pairs.addAll(List.of(keys));
        gateway = TestGateway.start(dir.resolve("gateway"), UntrustedClients.config(dir,
                pairs.toArray(String[]::new)));
    }

    private static String message(String token, String subject, String extraFields) {
        return "From: someone@src.test\r\nTo: someone@dest.test\r\nSubject: " + subject + "\r\n"
                + "Date: Fri, 04 Dec 2026 10:00:00 +0000\r\nMessage-ID: <" + token + "@src.test>\r\n" + extraFields
                + "X-Test-Token: " + token + "\r\n\r\nHello.\r\n";
    }

    private String send(String client, String from, String message, String... to) throws Exception {
        try (SmtpClient smtp = UntrustedClients.from(gateway, client)) {
            smtp.startData(from, to);
            smtp.sendRaw(message);
            smtp.sendRaw(".\r\n");
            String reply = smtp.expect("250 2.0.0 Ok: queued as ");
            return reply.substring("250 2.0.0 Ok: queued as ".length()).strip();
        }
    }

    private String atNextHop(String token) {
        await().atMost(Duration.ofSeconds(90)).until(() -> next.tokens().contains(token));
        return next.received().stream().map(r -> new String(r.content(), StandardCharsets.ISO_8859_1))
                .filter(m -> m.contains("X-Test-Token: " + token + "\r\n")).findFirst().orElseThrow();
    }

    /** The queue ids of the messages on {@code queue}, once it holds {@code expected} and mail.copies is empty. */
    private List<String> copiesOn(String queue, int expected) throws Exception {
        AdminAccess.Access access = AdminAccess.read(dir.resolve("gateway").resolve("broker"));
        try (Connection connection = BrokerClients.client(access.url(), access.username(), access.password())
                .createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            await().atMost(Duration.ofSeconds(60)).until(() -> browse(session, queue).size() >= expected
                    && browse(session, "mail.copies").isEmpty());
            List<String> ids = new ArrayList<>();
            for (Message copy : browse(session, queue)) {
                ids.add(copy.getStringProperty("SmtpdQueueId"));
            }
            return ids;
        }
    }

    private static List<Message> browse(Session session, String queue) throws JMSException {
        try (QueueBrowser browser = session.createBrowser(new ActiveMQQueue(queue))) {
            return Collections.list(browser.getEnumeration()).stream().map(m -> (Message) m).toList();
        }
    }

    @Test
    void everyRecipeInReadmeHasATest() throws Exception {
        assertThat(recipes().keySet()).containsExactlyInAnyOrderElementsOf(TESTED);
    }

    @Test
    void invoicesGoToTheErpQueueAndAreStillDelivered() throws Exception {
        startWith("invoices");
        String invoice = send(TRUSTED, "billing@src.test", message("inv", "Invoice 42", ""), "invoices@example.com");
        String other = send(TRUSTED, "billing@src.test", message("other", "Hello", ""), "someone@example.com");

        atNextHop("inv");
        atNextHop("other");
        assertThat(copiesOn("erp.invoices", 1)).containsExactly(invoice).doesNotContain(other);
    }

    @Test
    void aDomainsMailInAndOutIsCopiedOnceForCompliance() throws Exception {
        startWith("compliance");
        String to = send(TRUSTED, "someone@src.test", message("to", "To legal", ""), "counsel@legal.example.com");
        String from = send(TRUSTED, "Counsel@Legal.Example.com", message("from", "From legal", ""),
                "someone@example.com");
        String both = send(TRUSTED, "counsel@legal.example.com", message("both", "Within legal", ""),
                "clerk@legal.example.com");
        String neither = send(TRUSTED, "someone@src.test", message("neither", "Hello", ""), "someone@example.com");

        for (String token : List.of("to", "from", "both", "neither")) {
            atNextHop(token);
        }
        assertThat(copiesOn("compliance.legal", 3)).containsExactlyInAnyOrder(to, from, both)
                .doesNotContain(neither);
    }

    @Test
    void mailFromOutsideIsTaggedOnceAndOurOwnIsNot() throws Exception {
        startWith("external");
        send(UNTRUSTED, "someone@src.test", message("outside", "Hello", ""), "user@dest.test");
        send(UNTRUSTED, "someone@src.test", message("again", "[EXTERNAL] Re: Hello", ""), "user@dest.test");
        send(TRUSTED, "someone@src.test", message("inside", "Hello", ""), "user@dest.test");

        assertThat(atNextHop("outside")).contains("\r\nSubject: [EXTERNAL] Hello\r\n");
        assertThat(atNextHop("again")).contains("\r\nSubject: [EXTERNAL] Re: Hello\r\n")
                .doesNotContain("[EXTERNAL] [EXTERNAL]");
        assertThat(atNextHop("inside")).contains("\r\nSubject: Hello\r\n").doesNotContain("[EXTERNAL]");
    }

    @Test
    void internalHeadersNeverLeaveAndNothingElseChanges() throws Exception {
        startWith("internal-headers");
        String internal = "X-Internal-Route: hop1,\r\n\thop2\r\nX-Originating-IP: [10.1.2.3]\r\n"
                + "x-internal-id: 42\r\nX-Mailer: kept\r\n";
        String sent = message("internal", "Hello", internal);
        send(TRUSTED, "someone@src.test", sent, "user@dest.test");

        String received = atNextHop("internal");
        String expected = message("internal", "Hello", "X-Mailer: kept\r\n");
        assertThat(received).as("what the client sent, without the internal fields").endsWith("\r\n" + expected)
                .doesNotContainIgnoringCase("X-Internal").doesNotContain("X-Originating-IP");
    }

    @Test
    void onlyMailFromTheSubmissionListenersIsSigned() throws Exception {
        Path keys = dir.resolve("dkim");
        PublishedKeys.generate(keys, dns, "src.test", "mail2026", "ed25519");
        Path users = Files.writeString(dir.resolve("users"), "alice:" + PasswordHash.bcrypt("wonderland") + "\n");
        startWith("signing", "gateway.dkim.keys", keys.toString(), "gateway.submission.enabled", "true",
                "gateway.auth.users", users.toString());

        try (SmtpClient client = new SmtpClient(InetAddress.getByName(UNTRUSTED), gateway.port("submission"))) {
            client.expect("220 ");
            client.command("EHLO client.test", "250 ");
            client.command("STARTTLS", "220 ");
            client.handshake();
            client.command("EHLO client.test", "250 ");
            client.command("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice\0wonderland"
                    .getBytes(StandardCharsets.UTF_8)), "235 ");
            client.startData("someone@src.test", "user@dest.test");
            client.sendRaw(message("submitted", "Hello", ""));
            client.sendRaw(".\r\n");
            client.expect("250 2.0.0 Ok: queued as ");
        }
        // trusted, on port 25: the shipped signing.yaml would sign it, the recipe does not
        send(TRUSTED, "someone@src.test", message("trusted", "Hello", ""), "user@dest.test");

        assertThat(atNextHop("submitted").replace("\r\n\t", " "))
                .startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=src.test; s=mail2026;");
        assertThat(atNextHop("trusted")).doesNotContain("DKIM-Signature");
    }

    @Test
    void theShippedSigningRouteSignsTrustedMailWhichTheRecipeLeavesAlone() throws Exception {
        // the control for the test above: the same trusted message is signed by the shipped routes/signing.yaml
        Path keys = dir.resolve("dkim");
        PublishedKeys.generate(keys, dns, "src.test", "mail2026", "ed25519");
        startWith("invoices", "gateway.dkim.keys", keys.toString()); // signing.yaml as shipped
        send(TRUSTED, "someone@src.test", message("trusted", "Hello", ""), "user@dest.test");

        assertThat(atNextHop("trusted")).startsWith("DKIM-Signature: ");
    }
}
