package dev.mailgateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.spool.Queues;
import dev.mailgateway.testing.BrokerClients;
import dev.mailgateway.testing.EventCollector;
import dev.mailgateway.testing.TestBroker;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against a real broker, a broker that is not there, and one that holds every send. */
class EventPublisherTest {

    @TempDir
    Path dir;

    private static ActiveMQConnectionFactory factory(TestBroker broker) {
        return BrokerClients.client(broker.url(), "gateway", broker.credentials().get("gateway.broker.password"));
    }

    @Test
    void eventsReachEveryConsumerQueueWithTheirTypeAndQueueId() throws Exception {
        try (TestBroker broker = TestBroker.start(dir);
                EventCollector a = EventCollector.start(factory(broker), "a");
                EventCollector b = EventCollector.start(factory(broker), "b")) {
            EventPublisher publisher = new EventPublisher(factory(broker), Queues.EVENTS, 100);
            publisher.start();
            try {
                for (int i = 0; i < 50; i++) {
                    assertThat(publisher.offer(i % 2 == 0 ? "accepted" : "bounced", "Q" + i, "{\"queueId\":\"Q" + i
                            + "\",\"n\":" + i + "}")).isTrue();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> a.events().size() == 50 && b.events().size() == 50);
            } finally {
                publisher.stop(Duration.ofSeconds(5));
            }
            assertThat(a.events().get(7).get("n").asInt()).isEqualTo(7);
            assertThat(a.types().get(7)).isEqualTo("bounced");
            assertThat(publisher.published()).isEqualTo(50);
            assertThat(publisher.dropped()).isZero();
        }
    }

    @Test
    void aConsumerQueueNobodyReadsTakesMoreThanItsMemoryWithoutStallingThePublisher() throws Exception {
        try (TestBroker broker = TestBroker.start(dir)) {
            try (EventCollector gone = EventCollector.start(factory(broker), "gone")) {
                // the queue exists from now on; its consumer goes away
            }
            ActiveMQConnectionFactory factory = factory(broker);
            factory.setSendTimeout(10_000); // a send held by flow control fails instead of hanging the test
            EventPublisher publisher = new EventPublisher(factory, Queues.EVENTS, 20_000);
            String kilobyte = "{\"pad\":\"" + "x".repeat(1000) + "\"}";
            publisher.start();
            try {
                for (int i = 0; i < 12_000; i++) { // 12 MB, the queue holds 8 MB in memory
                    assertThat(publisher.offer("accepted", "Q" + i, kilobyte)).isTrue();
                }
                await().atMost(Duration.ofSeconds(120)).until(() -> publisher.published() + publisher.dropped() == 12_000);
            } finally {
                publisher.stop(Duration.ofSeconds(5));
            }
            assertThat(publisher.dropped()).isZero();
        }
    }

    @Test
    void withoutABrokerOffersNeverWaitAndWhatDoesNotFitIsDroppedAndCounted() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // nothing listens there any more
        }
        EventPublisher publisher = new EventPublisher(BrokerClients.client("tcp://127.0.0.1:" + port, "x", "y"),
                Queues.EVENTS, 10);
        publisher.start();
        try {
            long start = System.nanoTime();
            int taken = 0;
            for (int i = 0; i < 1000; i++) {
                if (publisher.offer("accepted", "Q", "{}")) {
                    taken++;
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a thousand offers").isLessThan(
                    Duration.ofSeconds(5));
            assertThat(taken).isBetween(10, 20); // the buffer, and the few the sender took out to try
            assertThat(publisher.dropped()).isGreaterThanOrEqualTo(980);
        } finally {
            publisher.stop(Duration.ofSeconds(1));
        }
        assertThat(publisher.published()).isZero();
        assertThat(publisher.dropped()).as("every event, sent or not, is accounted for").isEqualTo(1000);
    }

    @Test
    void aBrokerThatGoesAwayCostsEventsNotTheCallerAndItsReturnIsUsed() throws Exception {
        TestBroker broker = TestBroker.start(dir);
        try (EventCollector consumer = EventCollector.start(factory(broker), "c")) {
            EventPublisher publisher = new EventPublisher(factory(broker), Queues.EVENTS, 100);
            publisher.start();
            try {
                publisher.offer("accepted", "Q1", "{\"n\":1}");
                await().atMost(Duration.ofSeconds(60)).until(() -> consumer.events().size() == 1);
                broker.stop();
                long start = System.nanoTime();
                for (int i = 0; i < 500; i++) {
                    publisher.offer("accepted", "Q2", "{\"n\":2}");
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                broker.start();
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    publisher.offer("accepted", "Q3", "{\"n\":3}");
                    return consumer.events().stream().anyMatch(e -> e.get("n").asInt() == 3);
                });
            } finally {
                publisher.stop(Duration.ofSeconds(5));
            }
            assertThat(publisher.dropped()).as("the buffer holds 100: most of 500 did not fit").isPositive();
        } finally {
            broker.stop();
        }
    }
}
