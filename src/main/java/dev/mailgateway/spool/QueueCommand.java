package dev.mailgateway.spool;

import dev.mailgateway.mail.Printable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * {@code java -jar target/mail-gateway.jar queue list|retry|delete|hold|release [QUEUE-ID]}: the queue
 * operations from a shell, against the running gateway's embedded broker (found through its data directory) or the
 * external broker of {@code gateway.broker.url}. Reads the gateway's configuration as the gateway does:
 * config/application.properties, then -D options, then GATEWAY_* environment variables.
 */
public final class QueueCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss", Locale.US)
            .withZone(ZoneId.systemDefault());

    private QueueCommand() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** @return the exit status: 0 done, 1 nothing matched or the broker could not be reached, 2 usage */
    public static int run(String[] args, PrintStream out) throws Exception {
        String action = args.length > 0 ? args[0] : "";
        boolean needsId = !action.equals("list");
        if (!List.of("list", "retry", "delete", "hold", "release").contains(action) || (needsId && args.length != 2)) {
            out.println("usage: java -jar target/mail-gateway.jar queue list");
            out.println("       java -jar target/mail-gateway.jar queue retry|delete|hold|release QUEUE-ID");
            return 2;
        }
        ActiveMQConnectionFactory factory;
        try {
            factory = connectionFactory(settings());
        } catch (NoSuchFileException e) {
            out.println("no running gateway with an embedded broker uses this data directory (" + e.getMessage() + ")");
            return 1;
        }
        try (QueueAdmin admin = new QueueAdmin(factory)) {
            if (action.equals("list")) {
                return list(admin.list(), out);
            }
            String id = args[1];
            int count = switch (action) {
                case "retry" -> admin.retry(id);
                case "delete" -> admin.delete(id);
                case "hold" -> admin.hold(id);
                default -> admin.release(id);
            };
            out.println(id + ": " + (count == 0 ? "no such message" : action + " done (" + count + ")"));
            return count == 0 ? 1 : 0;
        }
    }

    /** Senders, recipients and next hops' replies are others' text: escaped, so they cannot drive the terminal. */
    private static int list(List<QueueAdmin.Entry> entries, PrintStream out) {
        if (entries.isEmpty()) {
            out.println("Mail queue is empty");
            return 0;
        }
        out.printf("%-20s %-8s %9s %-20s %s%n", "-Queue ID-", "-State-", "-Size-", "-Arrival Time-", "-Sender/Recipient-");
        for (QueueAdmin.Entry e : entries) {
            out.printf("%-20s %-8s %9d %-20s %s%n", Printable.escape(e.queueId()), e.state(), e.size(),
                    e.queuedAt() == 0 ? "" : TIME.format(Instant.ofEpochMilli(e.queuedAt())),
                    e.sender() == null || e.sender().isEmpty() ? "MAILER-DAEMON" : Printable.escape(e.sender()));
            if (e.state().equals("deferred")) {
                out.printf("%61s(attempt %d, next %s: %s)%n", "", e.attempts(),
                        e.nextAttemptAt() == 0 ? "?" : TIME.format(Instant.ofEpochMilli(e.nextAttemptAt())),
                        e.lastError() == null ? "" : Printable.escape(e.lastError()));
            }
            for (String recipient : e.recipients()) {
                out.printf("%61s%s%n", "", Printable.escape(recipient));
            }
        }
        out.println("-- " + entries.size() + " messages");
        return 0;
    }

    static ActiveMQConnectionFactory connectionFactory(Properties settings) throws IOException {
        String url = settings.getProperty("gateway.broker.url", "").strip();
        ActiveMQConnectionFactory factory;
        if (url.isEmpty()) {
            AdminAccess.Access access = AdminAccess.read(Path.of(settings.getProperty("gateway.data-dir", "data"), "broker"));
            factory = new ActiveMQConnectionFactory(access.url());
            factory.setUserName(access.username());
            factory.setPassword(access.password());
        } else {
            factory = new ActiveMQConnectionFactory(url);
            factory.setUserName(settings.getProperty("gateway.broker.username", ""));
            factory.setPassword(settings.getProperty("gateway.broker.password", ""));
        }
        factory.setSendTimeout(10_000);
        factory.setConnectResponseTimeout(10_000);
        factory.setWatchTopicAdvisories(false);
        return factory;
    }

    /**
     * The gateway's configuration: the file, then -D, then GATEWAY_* variables; {{key}} references resolved. For
     * the other commands too (dkim-keygen).
     */
    public static Properties settings() throws IOException {
        Properties file = new Properties();
        Path config = Path.of(System.getProperty("gateway.config", "config/application.properties"));
        if (Files.exists(config)) {
            try (Reader in = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                file.load(in);
            }
        }
        Properties settings = new Properties();
        for (String key : file.stringPropertyNames()) {
            String env = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            settings.setProperty(key, System.getProperty(key, env != null ? env : file.getProperty(key)));
        }
        Pattern reference = Pattern.compile("\\{\\{([^}]+)}}");
        for (String key : settings.stringPropertyNames()) {
            String value = settings.getProperty(key);
            for (int depth = 0; depth < 5 && value.contains("{{"); depth++) {
                Matcher m = reference.matcher(value);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(sb, Matcher.quoteReplacement(settings.getProperty(m.group(1), "")));
                }
                value = m.appendTail(sb).toString();
            }
            settings.setProperty(key, value);
        }
        return settings;
    }
}
