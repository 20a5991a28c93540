package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Thousands of messages within one route timeout: each message's backstop timer must go when its route answers.
 * (They once piled up in a scheduler that refuses past 1000 queued tasks, and every message after that was told
 * 451 although the route had taken it: a duplicate for each.)
 */
class SustainedLoadTest {

    @Test
    void moreMessagesThanTheSchedulerHoldsWithinOneRouteTimeoutAllGet250() throws Exception {
        int sessions = 8;
        int perSession = 160; // 1280 in all, all well within the (long) route timeout
        ExecutorService clients = Executors.newFixedThreadPool(sessions);
        try (TestListener listener = TestListener.start("routeTimeout=10m")) {
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                accepted.add(clients.submit(() -> {
                    int ok = 0;
                    try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
                        for (int i = 0; i < perSession; i++) {
                            client.sendMessage("a@src.test", "Subject: " + i + "\r\n\r\nx\r\n", "b@dest.test");
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> done : accepted) {
                total += done.get();
            }
            assertThat(total).isEqualTo(sessions * perSession);
            assertThat(listener.received()).hasSize(sessions * perSession);
        } finally {
            clients.shutdownNow();
        }
    }
}
