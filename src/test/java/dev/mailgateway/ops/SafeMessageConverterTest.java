package dev.mailgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped logging configurations write every event on one line, whatever data its message carries. */
class SafeMessageConverterTest {

    @ParameterizedTest
    @ValueSource(strings = {"config/logback.xml", "src/test/resources/logback-test.xml"})
    void aMessageWithLineBreaksAndEscapeSequencesRendersAsOneLine(String configuration) throws Exception {
        LoggerContext context = new LoggerContext();
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(configuration);
            assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
            Logger logger = context.getLogger("dev.mailgateway.smtpd");
            ILoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                    "[192.0.2.1]:4711: AUTH LOGIN failed for user=<{}>", null,
                    new Object[] {"alice\r\nFAKE 2024-01-01 00:00:00.000 INFO  smtpd: \u001b[2J\u0000 \\ done"});

            List<String> rendered = render(logger, event);

            assertThat(rendered).isNotEmpty().allSatisfy(line -> {
                assertThat(line).endsWith("\n");
                assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r", "\u001b", "\u0000");
                assertThat(line).contains("user=<alice\\r\\nFAKE 2024-01-01 00:00:00.000 INFO  smtpd: \\x1b[2J\\x00 \\ done>");
            });
        } finally {
            context.stop();
        }
    }

    /** The event through the encoder of every appender the root logger writes to, as it would reach the output. */
    private static List<String> render(Logger logger, ILoggingEvent event) {
        List<String> lines = new ArrayList<>();
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        logger.getLoggerContext().getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appenders::add);
        while (!appenders.isEmpty()) {
            Appender<ILoggingEvent> appender = appenders.remove(0);
            if (appender instanceof AsyncAppenderBase<ILoggingEvent> async) {
                Iterator<Appender<ILoggingEvent>> inner = async.iteratorForAppenders();
                inner.forEachRemaining(appenders::add);
            } else if (appender instanceof OutputStreamAppender<ILoggingEvent> output) {
                lines.add(new String(output.getEncoder().encode(event), StandardCharsets.UTF_8));
            }
        }
        return lines;
    }
}
