package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.dkim.DkimResult.Result;
import dev.mailgateway.mailauth.dkim.PublishedKeys.Run;
import dev.mailgateway.testing.DnsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dkim-keygen: an owner-only key file the gateway loads, and a DNS record that, published exactly as printed,
 * verifies what the key signs (here and with dkimpy); an existing key is never overwritten; bad arguments are a
 * usage error.
 */
class DkimKeygenTest {

    @TempDir
    Path dir;

    private static Run keygen(Path keys, String... args) {
        return PublishedKeys.keygen(keys, args);
    }

    @Test
    void rsaAndEd25519KeysSignWhatTheirPrintedRecordsVerify() throws Exception {
        Path keys = dir.resolve("dkim");
        Run rsa = keygen(keys, "Example.TEST", "s2026");
        Run ed = keygen(keys, "example.test", "ed2026", "ed25519");

        assertThat(rsa.status()).as(rsa.err()).isZero();
        assertThat(ed.status()).as(ed.err()).isZero();
        assertThat(rsa.out()).startsWith("; " + keys.resolve("example.test.s2026.key") + " written: publish this"
                + " record, then the gateway signs mail from example.test with it (rsa-sha256)\n");
        assertThat(rsa.name()).isEqualTo("s2026._domainkey.example.test");
        assertThat(rsa.strings()).hasSizeGreaterThan(1).first().asString().startsWith("v=DKIM1; k=rsa; p=MII");
        assertThat(ed.name()).isEqualTo("ed2026._domainkey.example.test");
        assertThat(ed.strings()).singleElement().asString().matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        for (String file : List.of("example.test.s2026.key", "example.test.ed2026.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(file))))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(keys.resolve(file))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        }

        byte[] message = ("From: a@example.test\r\nSubject: keygen\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        List<SigningKey> signing = SigningKeys.watch(keys).forDomain("example.test");
        byte[] fields = new DkimSigner(DkimSigner.RECOMMENDED, DkimSigner.OVERSIGNED, Clock.systemUTC())
                .sign(new ByteArrayInputStream(message), signing).orElseThrow();
        byte[] signed = PythonDkim.prepend(fields, message);
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), Duration.ofSeconds(5))) {
            server.txt(rsa.name(), rsa.strings().toArray(String[]::new));
            server.txt(ed.name(), ed.strings().toArray(String[]::new));
            List<DkimResult> results = new DkimVerifier(dns).verify(new ByteArrayInputStream(signed))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(results).extracting(DkimResult::result).containsExactly(Result.PASS, Result.PASS);
        }
        assertThat(PythonDkim.required().verdicts(List.of(signed), rsa.text()))
                .containsExactly(true);
    }

    @Test
    void anExistingKeyIsNeverOverwritten() throws Exception {
        assertThat(keygen(dir, "example.test", "s1", "ed25519").status()).isZero();
        byte[] before = Files.readAllBytes(dir.resolve("example.test.s1.key"));

        Run again = keygen(dir, "example.test", "s1");

        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("dkim-keygen: " + dir.resolve("example.test.s1.key")
                + " exists; choose another selector for a new key\n");
        assertThat(Files.readAllBytes(dir.resolve("example.test.s1.key"))).isEqualTo(before);
    }

    @Test
    void badArgumentsAreAUsageError() {
        assertThat(keygen(dir, "example.test").err()).startsWith("usage: java -jar target/mail-gateway.jar"
                + " dkim-keygen DOMAIN SELECTOR [rsa|ed25519]");
        assertThat(keygen(dir, "example.test", "s1", "dsa").status()).isEqualTo(2);
        Run domain = keygen(dir, "not a domain", "s1");
        assertThat(domain.status()).isEqualTo(2);
        assertThat(domain.err()).isEqualTo("dkim-keygen: 'not a domain' is not a domain name\n");
        Run selector = keygen(dir, "example.test", "a.b");
        assertThat(selector.status()).isEqualTo(2);
        assertThat(selector.err()).isEqualTo("dkim-keygen: 'a.b' is not a selector (one DNS label: letters,"
                + " digits, '-', '_')\n");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void theGatewayCommandWritesToTheKeysDirectoryOfTheConfiguration() throws Exception {
        Path keys = dir.resolve("configured");
        Path config = Files.writeString(dir.resolve("application.properties"), "gateway.dkim.keys=" + keys + "\n");
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String before = System.getProperty("gateway.config");
        try {
            System.setProperty("gateway.config", config.toString());
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            dev.mailgateway.GatewayMain.main(new String[] {"dkim-keygen", "example.test", "s1", "ed25519"});
        } finally {
            System.setOut(stdout);
            if (before == null) {
                System.clearProperty("gateway.config");
            } else {
                System.setProperty("gateway.config", before);
            }
        }

        assertThat(keys.resolve("example.test.s1.key")).isRegularFile();
        assertThat(new Run(0, out.toString(StandardCharsets.UTF_8), "").name())
                .isEqualTo("s1._domainkey.example.test");
    }
}
