package dev.mailgateway.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Keeps what a logger writes, for tests that must see that something did not happen (and what did instead). */
public final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogLines(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    public List<String> lines() {
        synchronized (appender) { // AppenderBase.doAppend appends under this lock
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    public boolean contains(String text) {
        return lines().stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
