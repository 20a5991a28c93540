package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The shipped config/logback.xml logs through an asynchronous queue so that logging never makes a session wait;
 * under a flood it may drop routine lines, never an ERROR: with the console stalled, a burst that fills the queue
 * still gets every error through.
 */
class ShippedLoggingTest {

    private static final int ROUTINE = 10_000;
    private static final int ERRORS = 3_000;

    /** Stands for a console that cannot keep up: takes nothing until opened, then counts the lines. */
    private static final class StalledConsole extends OutputStream {
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger routine = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                open.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
            (line.contains("error line") ? errors : routine).incrementAndGet();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void errorLinesAreNeverDroppedWhenTheQueueIsFull() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own initialisation gives a context
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("config/logback.xml").toFile());
        try {
            AsyncAppender async = asyncAppender(context.getLogger(Logger.ROOT_LOGGER_NAME));
            StalledConsole console = new StalledConsole();
            Appender<ILoggingEvent> out = async.iteratorForAppenders().next();
            assertThat(out).as("what the queue feeds").isInstanceOf(OutputStreamAppender.class);
            ((OutputStreamAppender<ILoggingEvent>) out).setOutputStream(console);

            Logger logger = context.getLogger("dev.mailgateway.smtpd");
            Thread flood = new Thread(() -> {
                for (int i = 0; i < ROUTINE; i++) {
                    logger.info("routine line {}", i);
                }
                for (int i = 0; i < ERRORS; i++) {
                    logger.error("error line {}", i);
                }
            });
            flood.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> async.getRemainingCapacity() == 0 || !flood.isAlive());
            console.open.countDown();
            flood.join(TimeUnit.SECONDS.toMillis(60));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(console.errors).hasValue(ERRORS));
            assertThat(console.routine.get()).as("routine lines dropped under the flood").isLessThan(ROUTINE);
        } finally {
            context.stop();
        }
    }

    private static AsyncAppender asyncAppender(Logger root) {
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof AsyncAppender async) {
                return async;
            }
        }
        throw new AssertionError("config/logback.xml: the root logger has no AsyncAppender");
    }
}
