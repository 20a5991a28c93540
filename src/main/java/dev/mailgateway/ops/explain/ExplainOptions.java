package dev.mailgateway.ops.explain;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code explain message.eml --from A --to B[,C] [--client IP] [--helo NAME] [--listener mx|submission|submissions]
 * [--auth USER] [--tls] [--json]}. The client is an internet address that is no trusted network unless told
 * otherwise, as on port 25.
 */
record ExplainOptions(Path message, String from, List<String> to, String client, String helo, String listener,
        String authUser, boolean tls, boolean json) {

    static final String USAGE = "usage: explain MESSAGE.eml --from SENDER --to RCPT[,RCPT...] [--client IP]"
            + " [--helo NAME] [--listener mx|submission|submissions] [--auth USER] [--tls] [--json]";
    /** TEST-NET-1 (RFC 5737): no one's network, so no trusted one and no list entry unless a test puts it there. */
    static final String DEFAULT_CLIENT = "192.0.2.1";

    /** @throws IllegalArgumentException with what is wrong, for the usage message */
    static ExplainOptions parse(String... args) {
        Path message = null;
        String from = null;
        List<String> to = null;
        String client = DEFAULT_CLIENT;
        String helo = null;
        String listener = "mx";
        String auth = null;
        boolean tls = false;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--from" -> from = value(args, ++i, arg);
                case "--to" -> to = Arrays.stream(value(args, ++i, arg).split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).toList();
                case "--client" -> client = value(args, ++i, arg);
                case "--helo" -> helo = value(args, ++i, arg);
                case "--listener" -> listener = value(args, ++i, arg);
                case "--auth" -> auth = value(args, ++i, arg);
                case "--tls" -> tls = true;
                case "--json" -> json = true;
                default -> {
                    if (arg.startsWith("--") || message != null) {
                        throw new IllegalArgumentException("unknown argument: " + arg);
                    }
                    message = Path.of(arg);
                }
            }
        }
        if (message == null || from == null || to == null || to.isEmpty()) {
            throw new IllegalArgumentException("a message file, --from and --to are needed");
        }
        if (!client.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new IllegalArgumentException("--client takes an IP address, not a name: " + client);
        }
        return new ExplainOptions(message, from, to, client, helo == null ? "client.example" : helo, listener, auth,
                tls, json);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
