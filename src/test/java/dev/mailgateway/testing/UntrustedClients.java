package dev.mailgateway.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The set-up the policy and authentication tests share: the real gateway with the shipped routes, where clients on
 * loopback are NOT trusted (they stand for servers on the internet, each test client on a loopback address of its
 * own), mail for dest.test is taken from anyone (every user), and delivery is off unless the test's own keys turn
 * it on (policy tests measure the SMTP answer).
 */
public final class UntrustedClients {

    private UntrustedClients() {
    }

    /** The shared keys, then the test's own ({@code key, value, key, value...}), which win. */
    public static Map<String, String> config(Path dir, String... pairs) throws IOException {
        Path recipients = Files.writeString(dir.resolve("relay-recipients"), "@dest.test\n");
        Map<String, String> config = new HashMap<>(Map.of(
                "gateway.trusted-networks", "192.0.2.0/24",
                "gateway.relay-domains", "dest.test",
                "gateway.relay-recipients", recipients.toString(),
                "gateway.relay.enabled", "false",
                "gateway.submission.enabled", "false",
                "gateway.submissions.enabled", "false"));
        for (int i = 0; i < pairs.length; i += 2) {
            config.put(pairs[i], pairs[i + 1]);
        }
        return config;
    }

    /** A session from this loopback address, greeted and past EHLO. */
    public static SmtpClient from(TestGateway gateway, String address) throws IOException {
        SmtpClient client = new SmtpClient(InetAddress.getByName(address), gateway.port());
        client.expect("220");
        client.command("EHLO client.test", "250");
        return client;
    }

    /** The reply to RCPT TO in a session of its own. */
    public static String rcpt(TestGateway gateway, String address, String sender, String recipient) throws IOException {
        try (SmtpClient client = from(gateway, address)) {
            client.command("MAIL FROM:<" + sender + ">", "250");
            client.send("RCPT TO:<" + recipient + ">");
            return client.reply();
        }
    }
}
