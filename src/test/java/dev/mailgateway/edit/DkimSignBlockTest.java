package dev.mailgateway.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.mailauth.dkim.DkimResult;
import dev.mailgateway.mailauth.dkim.DkimVerifier;
import dev.mailgateway.mailauth.dkim.PublishedKeys;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.testing.DnsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StreamCache;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mail-edit:dkim-sign} as a route step: every key of the From domain signs, on top, and nothing else
 * changes; no key or no From is a result in MailDkimSigned, never a failure; a message spilled to disk stays on
 * disk; a key that cannot sign stops the start.
 */
class DkimSignBlockTest {

    @TempDir
    static Path dir;
    private static Path keys;
    private static DnsServer server;
    private static Dns dns;
    private static CamelContext camel;
    private static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        keys = dir.resolve("dkim");
        server = DnsServer.start();
        dns = Dns.create(server.address(), Duration.ofSeconds(5));
        PublishedKeys.generate(keys, server, "example.test", "rsa", "rsa");
        PublishedKeys.generate(keys, server, "example.test", "ed", "ed25519");
        // an organization's key, and one subdomain with a key of its own (.com is on the public suffix list)
        PublishedKeys.generate(keys, server, "example.com", "org", "rsa");
        PublishedKeys.generate(keys, server, "sales.example.com", "sales", "ed25519");
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:nokeys").to("mail-edit:dkim-sign?keys=" + dir.resolve("nokeys"));
                from("direct:sign")
                        .process(e -> e.setProperty("allocatedBefore", allocated()))
                        .to("mail-edit:dkim-sign?keys=" + keys)
                        .process(e -> {
                            e.setProperty("allocated", allocated() - e.getProperty("allocatedBefore", Long.class));
                            if (e.getMessage().getBody() == null) {
                                return; // asked in a policy route: nothing to verify
                            }
                            // read here: a spilled message's file is gone once the exchange is done
                            e.setProperty("bodyType", e.getMessage().getBody().getClass());
                            try (InputStream in = MessageBytes.open(e.getMessage())) {
                                e.setProperty("results", new DkimVerifier(dns).verify(in).toCompletableFuture()
                                        .get(60, TimeUnit.SECONDS));
                            }
                            try (InputStream in = MessageBytes.open(e.getMessage())) {
                                e.setProperty("start", new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1));
                            }
                        });
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        if (camel != null) {
            camel.stop();
        }
        dns.close();
        server.close();
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static Exchange sign(Object body) {
        return template.send("direct:sign", e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(SmtpdConstants.QUEUE_ID, "TEST");
        });
    }

    @SuppressWarnings("unchecked")
    private static List<DkimResult.Result> results(Exchange exchange) {
        return ((List<DkimResult>) exchange.getProperty("results", List.class)).stream().map(DkimResult::result)
                .toList();
    }

    private static byte[] message(String from) {
        return ("From: " + from + "\r\nTo: bob@example.org\r\nSubject: block\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void everyKeyOfTheFromDomainSignsOnTopAndNothingElseChanges() {
        byte[] original = message("Alice <alice@Example.TEST>");
        Exchange exchange = sign(original);

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(MailEditConstants.DKIM_SIGNED))
                .isEqualTo("d=example.test s=rsa rsa-sha256, d=example.test s=ed ed25519-sha256");
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("DKIM-Signature: v=1; a=rsa-sha256; ")
                .endsWith(new String(original, StandardCharsets.ISO_8859_1));
        assertThat(text.indexOf("\r\nDKIM-Signature: v=1; a=ed25519-sha256; ")).isPositive();
        assertThat(exchange.getMessage().getHeader(SmtpdConstants.SIZE, Long.class)).isEqualTo(body.length);
        assertThat(results(exchange)).containsExactly(DkimResult.Result.PASS, DkimResult.Result.PASS);
    }

    @Test
    void aSubdomainWithoutKeysIsSignedWithItsOrganizationsKeysAndOneWithKeysWithItsOwn() {
        Exchange sub = sign(message("alice@mail.EU.example.com"));
        assertThat(sub.getMessage().getHeader(MailEditConstants.DKIM_SIGNED)).isEqualTo("d=example.com s=org rsa-sha256");
        assertThat(results(sub)).containsExactly(DkimResult.Result.PASS);

        Exchange own = sign(message("bob@sales.example.com"));
        assertThat(own.getMessage().getHeader(MailEditConstants.DKIM_SIGNED))
                .isEqualTo("d=sales.example.com s=sales ed25519-sha256");
        assertThat(results(own)).containsExactly(DkimResult.Result.PASS);

        Exchange both = sign(message("a@x.example.com, b@y.example.com"));
        assertThat(both.getMessage().getHeader(MailEditConstants.DKIM_SIGNED))
                .as("two authors of one organization: its key signs once").isEqualTo("d=example.com s=org rsa-sha256");

        // a TLD the list lacks is a suffix by the default rule: example.test is sub.example.test's organization
        assertThat(sign(message("carol@sub.example.test")).getMessage().getHeader(MailEditConstants.DKIM_SIGNED))
                .isEqualTo("d=example.test s=rsa rsa-sha256, d=example.test s=ed ed25519-sha256");
        // nobody's key for the organization: unsigned, naming the From domain
        assertThat(sign(message("dave@sub.other.test")).getMessage().getHeader(MailEditConstants.DKIM_SIGNED))
                .isEqualTo("no key for sub.other.test");
    }

    @Test
    void withoutAKeyOrAFromTheMessageGoesOnUnsignedWithTheReason() {
        Map<String, String> reasons = Map.of(
                "bob@other.test", "no key for other.test",
                "bob@other.test, carol@third.test", "no key for other.test, third.test",
                "not an address", "no From address that parses");
        reasons.forEach((from, reason) -> {
            byte[] original = message(from);
            Exchange exchange = sign(original);
            assertThat(exchange.getException()).isNull();
            assertThat(exchange.getMessage().getHeader(MailEditConstants.DKIM_SIGNED)).isEqualTo(reason);
            assertThat(exchange.getMessage().getBody(byte[].class)).isEqualTo(original);
        });
        byte[] noFrom = "Subject: none\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(sign(noFrom).getMessage().getHeader(MailEditConstants.DKIM_SIGNED))
                .isEqualTo("no From address that parses");
        Exchange policy = template.send("direct:sign", e -> e.getMessage().setHeader(SmtpdConstants.STAGE, "RCPT"));
        assertThat(policy.getException()).isNull();
        assertThat(policy.getMessage().getHeader(MailEditConstants.DKIM_SIGNED)).isEqualTo("no message at RCPT");
    }

    @Test
    void withoutAnyKeyNothingIsSigned() {
        byte[] original = message("alice@example.test");
        Exchange exchange = template.send("direct:nokeys", e -> e.getMessage().setBody(original));

        assertThat(exchange.getMessage().getHeader(MailEditConstants.DKIM_SIGNED))
                .isEqualTo("no signing keys in " + dir.resolve("nokeys"));
        assertThat(exchange.getMessage().getBody(byte[].class)).isEqualTo(original);
    }

    @Test
    void aSecondAuthorOfAnotherDomainDoesNotStopOursFromSigning() {
        Exchange exchange = sign(message("bob@other.test, alice@example.test"));

        assertThat(exchange.getMessage().getHeader(MailEditConstants.DKIM_SIGNED))
                .isEqualTo("d=example.test s=rsa rsa-sha256, d=example.test s=ed ed25519-sha256");
        assertThat(results(exchange)).containsOnly(DkimResult.Result.PASS);
    }

    @Test
    void aSpilledMessageIsSignedFromDiskAndStaysThere() throws Exception {
        Path file = dir.resolve("spilled.eml");
        long size = 20L << 20;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(message("alice@example.test"));
            byte[] line = "0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < size; written += line.length) {
                out.write(line);
            }
        }
        Exchange exchange = sign(new FileInputStreamCache(file.toFile()));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getProperty("bodyType", Class.class)).isAssignableTo(StreamCache.class);
        assertThat(exchange.getProperty("allocated", Long.class)).as("bytes allocated to sign %d", size)
                .isLessThan(8L << 20);
        assertThat(exchange.getProperty("start", String.class)).startsWith("DKIM-Signature: v=1; a=rsa-sha256; ")
                .contains("\r\nFrom: alice@example.test\r\nTo: bob@example.org\r\n");
        assertThat(results(exchange)).containsExactly(DkimResult.Result.PASS, DkimResult.Result.PASS);
    }

    @Test
    void aKeyThatCannotSignStopsTheStart() throws Exception {
        Path badKeys = dir.resolve("bad");
        PublishedKeys.generate(badKeys, server, "example.test", "open", "ed25519");
        Path open = badKeys.resolve("example.test.open.key");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        try (CamelContext other = new DefaultCamelContext()) {
            other.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bad").to("mail-edit:dkim-sign?keys=" + badKeys);
                }
            });
            assertThatThrownBy(other::start).hasStackTraceContaining("DKIM key " + open
                    + ": other users may read or change it: chmod 600 " + open);
        }
    }
}
