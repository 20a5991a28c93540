package dev.mailgateway.smtpd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message's memory follows the bytes that arrived: a session that declared SIZE=25M and then sends nothing costs a
 * few kilobytes, and a message that grows costs what doubling an array costs (under four times its size, all
 * copies counted) until it spills. Measured as what this
 * thread allocated, so nothing else running in the JVM blurs it.
 */
class MessageSinkTest {

    private static final int THRESHOLD = 1 << 20;

    @TempDir
    Path spill;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private MessageSink sink() {
        return new MessageSink(new SpillSettings(spill, THRESHOLD, 4 * 64 * 1024, Runnable::run));
    }

    @Test
    void aMessageThatHasNotArrivedTakesAFewKilobytes() {
        sink().write("warm-up"); // class loading and the like, once
        long before = allocated();
        MessageSink sink = sink();
        sink.write("Received: from client.test by mx.gateway.test with ESMTP id 1M8H8239F4CPJVK0007\r\n");
        assertThat(allocated() - before).isLessThan(16 * 1024);
        sink.discard();
    }

    @Test
    void memoryGrowsGeometricallyWithTheBytesThatArrive() {
        sink().write("warm-up");
        byte[] line = "x".repeat(1000).concat("\r\n").getBytes();
        long before = allocated();
        MessageSink sink = sink();
        int written = 0;
        while (written < 300_000) {
            sink.write(line);
            written += line.length;
        }
        long cost = allocated() - before;
        assertThat(cost).as("bytes allocated for %d bytes of message", written).isLessThan(4L * written);
        assertThat(sink.finish().join().toByteArray()).hasSize(written);
    }
}
