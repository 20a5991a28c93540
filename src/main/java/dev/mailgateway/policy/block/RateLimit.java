package dev.mailgateway.policy.block;

import dev.mailgateway.policy.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One limit of {@code gateway.policy.rate-limits}: {@code subject:event=count/window}, e.g.
 * {@code client:messages=200/1h}. Subjects: {@code client} (its address, IPv6 per /64), {@code sender} (the
 * envelope sender; the null sender is not limited: bounces come in bursts for good reasons), {@code user} (the
 * authenticated user). Events: {@code connections} (client only, counted at CONNECT), {@code messages} (at MAIL),
 * {@code recipients} (at RCPT). Windows: a number and s, m, h or d.
 */
public record RateLimit(Subject subject, Event event, long count, Duration window) {

    public enum Subject { CLIENT, SENDER, USER }

    public enum Event {
        CONNECTIONS(Stage.CONNECT), MESSAGES(Stage.MAIL), RECIPIENTS(Stage.RCPT);

        final Stage stage;

        Event(Stage stage) {
            this.stage = stage;
        }
    }

    private static final Pattern SYNTAX = Pattern.compile("(\\w+):(\\w+)=(\\d+)/(\\d*)([smhd])");

    public static List<RateLimit> parseAll(String text) {
        List<RateLimit> limits = new ArrayList<>();
        for (String entry : text == null ? new String[0] : text.trim().split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                limits.add(parse(entry));
            }
        }
        return List.copyOf(limits);
    }

    static RateLimit parse(String entry) {
        Matcher m = SYNTAX.matcher(entry.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("rate limit is not subject:event=count/window (e.g. "
                    + "client:messages=200/1h): " + entry);
        }
        Subject subject;
        Event event;
        try {
            subject = Subject.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            event = Event.valueOf(m.group(2).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rate limit " + entry + ": subjects are client, sender, user; events "
                    + "are connections, messages, recipients");
        }
        if (event == Event.CONNECTIONS && subject != Subject.CLIENT) {
            throw new IllegalArgumentException("rate limit " + entry + ": only a client has connections");
        }
        long amount = m.group(4).isEmpty() ? 1 : Long.parseLong(m.group(4));
        Duration window = switch (m.group(5)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (window.isZero()) {
            throw new IllegalArgumentException("rate limit " + entry + ": the window must be longer than 0");
        }
        return new RateLimit(subject, event, Long.parseLong(m.group(3)), window);
    }

    public Stage stage() {
        return event.stage;
    }

    /** The store key, without the subject's value: a changed limit starts counting anew. */
    String keyPrefix() {
        return "rl:" + subject.name().toLowerCase(Locale.ROOT) + ":" + event.name().toLowerCase(Locale.ROOT) + ":"
                + window.toSeconds() + ":";
    }

    @Override
    public String toString() {
        return subject.name().toLowerCase(Locale.ROOT) + ":" + event.name().toLowerCase(Locale.ROOT) + "=" + count
                + "/" + window.toSeconds() + "s";
    }
}
