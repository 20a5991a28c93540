package dev.mailgateway.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A retry schedule: {@code 5m,10m,20m,40m,1h}; the n-th retry waits the n-th delay, the last one repeats. */
public final class RetrySchedule {

    private RetrySchedule() {
    }

    /**
     * @throws IllegalArgumentException on a delay that is not a number with s, m, h or d
     */
    public static List<Duration> parse(String schedule) {
        List<Duration> delays = new ArrayList<>();
        for (String item : schedule.strip().split("\\s*,\\s*")) {
            if (!item.matches("\\d+[smhd]")) {
                throw new IllegalArgumentException("not a delay (number and s, m, h or d): " + item);
            }
            long amount = Long.parseLong(item.substring(0, item.length() - 1));
            delays.add(switch (item.charAt(item.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("an empty retry schedule");
        }
        return List.copyOf(delays);
    }

    /** The wait after attempt number {@code attempt} (1 for the first delivery attempt). */
    public static Duration delayAfter(List<Duration> schedule, int attempt) {
        return schedule.get(Math.min(Math.max(attempt, 1), schedule.size()) - 1);
    }
}
