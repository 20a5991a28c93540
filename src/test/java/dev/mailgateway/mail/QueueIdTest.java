package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QueueIdTest {

    @Test
    void idsAreUniqueAcrossThreadsAndSafeAsFileNames() {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 200_000).parallel().forEach(i -> ids.add(QueueId.next()));
        assertThat(ids).hasSize(200_000);
        assertThat(ids).allMatch(id -> id.matches("[0-9A-Z]{19}") && QueueId.isValid(id));
    }

    @Test
    void laterIdsSortAfterEarlierOnes() throws InterruptedException {
        String first = QueueId.next();
        Thread.sleep(2); // two different milliseconds
        assertThat(QueueId.next()).isGreaterThan(first);
    }

    @Test
    void rejectsTextThatIsNotAnId() {
        assertThat(QueueId.isValid(null)).isFalse();
        assertThat(QueueId.isValid("../../../etc/passwd")).isFalse();
        assertThat(QueueId.isValid("0123456789ABCDEFGHI")).isFalse(); // I is not in the alphabet
    }
}
