package dev.mailgateway.testkit;

import dev.mailgateway.testing.SmtpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message about to be sent: who sends it (envelope and client), then {@link #send()}. Without {@code from} and
 * {@code to} the envelope is the message's own From, and To and Cc.
 */
public final class Outgoing {

    private enum Client { INTERNET, TRUSTED, USER, NAMED }

    private final RouteTestKit kit;
    private final MessageText message;
    private String sender;
    private final List<String> recipients = new ArrayList<>();
    private Client client = Client.INTERNET;
    private String user;
    private String password;
    private String namedAddress;
    private String namedHelo;

    Outgoing(RouteTestKit kit, String message) {
        this.kit = kit;
        this.message = new MessageText(message);
    }

    /** The envelope sender (MAIL FROM); "" is the null sender of bounces. */
    public Outgoing from(String address) {
        this.sender = address;
        return this;
    }

    /** The envelope recipients (RCPT TO). */
    public Outgoing to(String... addresses) {
        recipients.addAll(List.of(addresses));
        return this;
    }

    /** From a server on the internet, to the mx listener: the default. */
    public Outgoing fromInternet() {
        client = Client.INTERNET;
        return this;
    }

    /**
     * From this client address with this HELO name, to the mx listener: e.g. one your DNS blocklist test lists in
     * {@code gateway.dns()}. The kit connects as its own proxy and names the client with XCLIENT, so the listener
     * judges the session as that client's, as it would on port 25.
     */
    public Outgoing fromClient(String address, String helo) {
        client = Client.NAMED;
        namedAddress = address;
        namedHelo = helo;
        return this;
    }

    /** From your trusted networks (gateway.trusted-networks), to the mx listener. */
    public Outgoing fromTrustedNetwork() {
        client = Client.TRUSTED;
        return this;
    }

    /** From a user of the submission listener (STARTTLS, AUTH PLAIN): one the kit knows ({@link RouteTestKit#user}). */
    public Outgoing asUser(String name, String password) {
        this.client = Client.USER;
        this.user = name;
        this.password = password;
        return this;
    }

    /**
     * One SMTP session: EHLO, MAIL, RCPT for each recipient, the message if any recipient was taken. The outcome is
     * the first refusal, or the reply at the end of the data.
     */
    public Outcome send() throws IOException {
        String from = sender != null ? sender : first(message.addresses("From"));
        List<String> to = recipients.isEmpty() ? message.addresses("To", "Cc") : recipients;
        if (to.isEmpty()) {
            throw new IllegalArgumentException("no recipients: give to(...), or To or Cc fields in the message");
        }
        String address = client == Client.TRUSTED ? RouteTestKit.TRUSTED_CLIENT
                : client == Client.NAMED ? RouteTestKit.PROXY : RouteTestKit.INTERNET_CLIENT;
        int port = kit.gateway().port(client == Client.USER ? "submission" : "mx");
        try (SmtpClient smtp = new SmtpClient(InetAddress.getByName(address), port)) {
            int localPort = smtp.localPort();
            String reply = smtp.reply();
            if (!reply.startsWith("220")) {
                return Outcome.refused(kit, message, reply, Map.of());
            }
            smtp.command("EHLO client.test", "250");
            if (client == Client.NAMED) {
                smtp.send("XCLIENT ADDR=" + namedAddress + " HELO=" + namedHelo);
                reply = smtp.reply(); // the CONNECT checks of the named client, then its greeting
                if (!reply.startsWith("220")) {
                    return Outcome.refused(kit, message, reply, Map.of());
                }
                smtp.command("EHLO " + namedHelo, "250");
                address = namedAddress;
            }
            if (client == Client.USER) {
                smtp.command("STARTTLS", "220");
                smtp.handshake();
                smtp.command("EHLO client.test", "250");
                smtp.send("AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                        .getBytes(StandardCharsets.UTF_8)));
                reply = smtp.reply();
                if (!reply.startsWith("235")) {
                    return Outcome.refused(kit, message, reply, Map.of());
                }
            }
            smtp.send("MAIL FROM:<" + from + ">");
            reply = smtp.reply();
            if (!reply.startsWith("250")) {
                return Outcome.refused(kit, message, reply, Map.of());
            }
            Map<String, String> rcptReplies = new LinkedHashMap<>();
            String firstRefusal = null;
            for (String recipient : to) {
                smtp.send("RCPT TO:<" + recipient + ">");
                reply = smtp.reply();
                rcptReplies.put(recipient, reply);
                if (!reply.startsWith("250") && firstRefusal == null) {
                    firstRefusal = reply;
                }
            }
            if (rcptReplies.values().stream().noneMatch(r -> r.startsWith("250"))) {
                return Outcome.refused(kit, message, firstRefusal, rcptReplies);
            }
            smtp.command("DATA", "354");
            smtp.sendRaw(message.dotStuffed().getBytes(StandardCharsets.ISO_8859_1));
            smtp.sendRaw(".\r\n");
            reply = smtp.reply();
            smtp.send("QUIT");
            return Outcome.afterData(kit, message, reply, rcptReplies, address, localPort);
        }
    }

    private static String first(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no sender: give from(...), or a From field in the message");
        }
        return addresses.get(0);
    }
}
