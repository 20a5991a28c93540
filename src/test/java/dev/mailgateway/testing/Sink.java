package dev.mailgateway.testing;

import dev.mailgateway.smtpd.SmtpdConstants;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;

/**
 * A next hop for relay tests: a real SMTP server (the gateway's own smtpd) that keeps what it receives. Its policy
 * route refuses recipients by their local part: {@code temp...} gets 450 4.2.0, {@code perm...} gets 550 5.1.1;
 * it also counts connections.
 */
public final class Sink implements AutoCloseable {

    /** What arrived: the envelope and the bytes without the sink's own Received header. */
    public record Received(String queueId, String sender, List<String> recipients, byte[] content, String protocol,
            String helo, String bodyType) {
    }

    private final TestListener listener;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> rcptAttempts = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean acceptTemp = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile String greetingRefusal;

    private Sink(String options) throws Exception {
        listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("policyUri=direct:sinkPolicy" + (options.isEmpty() ? "" : "&" + options)))
                        .routeId("smtpd")
                        .process(e -> {
                            byte[] body = e.getMessage().getBody(byte[].class);
                            received.add(new Received(e.getMessage().getHeader(SmtpdConstants.QUEUE_ID, String.class),
                                    e.getMessage().getHeader(SmtpdConstants.SENDER, String.class),
                                    List.copyOf(e.getMessage().getHeader(SmtpdConstants.RECIPIENTS, List.class)),
                                    TraceHeader.strip(body),
                                    e.getMessage().getHeader(SmtpdConstants.PROTOCOL, String.class),
                                    e.getMessage().getHeader(SmtpdConstants.HELO, String.class),
                                    e.getMessage().getHeader(SmtpdConstants.BODY_TYPE, String.class)));
                        })
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
                from("direct:sinkPolicy").process(e -> {
                    String stage = e.getMessage().getHeader(SmtpdConstants.STAGE, String.class);
                    if ("CONNECT".equals(stage)) {
                        connections.incrementAndGet();
                        if (greetingRefusal != null) {
                            e.getMessage().setHeader(SmtpdConstants.REPLY, greetingRefusal);
                        }
                    }
                    String recipient = e.getMessage().getHeader(SmtpdConstants.RECIPIENT, "", String.class);
                    if ("RCPT".equals(stage)) {
                        rcptAttempts.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet();
                    }
                    if (recipient.startsWith("temp") && !acceptTemp.get()) {
                        e.getMessage().setHeader(SmtpdConstants.REPLY, "450 4.2.0 Mailbox busy");
                    } else if (recipient.startsWith("perm")) {
                        e.getMessage().setHeader(SmtpdConstants.REPLY, "550 5.1.1 No such user");
                    }
                });
            }
        });
    }

    public static Sink start(String options) throws Exception {
        return new Sink(options);
    }

    public int port() {
        return listener.port();
    }

    /** {@code host:port} for a transport map. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public List<Received> received() {
        return received;
    }

    /** From now on every client is refused at the greeting with this reply (4xx: 421 and close; 5xx: 554). */
    public Sink refuseGreeting(String reply) {
        greetingRefusal = reply;
        return this;
    }

    /** From now on {@code temp...} recipients are taken too: the mailbox is no longer busy. */
    public void acceptTemp() {
        acceptTemp.set(true);
    }

    /** How many times a recipient was offered in RCPT TO. */
    public int attempts(String recipient) {
        AtomicInteger count = rcptAttempts.get(recipient);
        return count == null ? 0 : count.get();
    }

    public int connections() {
        return connections.get();
    }

    /** The X-Test-Token values of the messages received, with repeats when a message came more than once. */
    public List<String> tokens() {
        List<String> tokens = new java.util.ArrayList<>();
        java.util.regex.Pattern token = java.util.regex.Pattern.compile("X-Test-Token: (\\S+)");
        for (Received r : received) {
            java.util.regex.Matcher m = token.matcher(new String(r.content(), java.nio.charset.StandardCharsets.UTF_8));
            if (m.find()) {
                tokens.add(m.group(1));
            }
        }
        return tokens;
    }

    /** Recipient address to the messages it was in. */
    public Map<String, List<Received>> byRecipient() {
        Map<String, List<Received>> map = new ConcurrentHashMap<>();
        for (Received r : received) {
            for (String recipient : r.recipients()) {
                map.computeIfAbsent(recipient, k -> new CopyOnWriteArrayList<>()).add(r);
            }
        }
        return map;
    }

    @Override
    public void close() {
        listener.close();
    }
}
