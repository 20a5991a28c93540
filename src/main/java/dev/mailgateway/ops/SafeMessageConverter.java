package dev.mailgateway.ops;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.mailgateway.mail.Printable;

/**
 * {@code %safeMsg} in a logback pattern: the message with control characters escaped, so no data in it can split a
 * log line or reach the operator's terminal as an escape sequence, whatever code logged it. Where the listener and
 * the relay log what a client or server wrote, they escape it themselves ({@link Printable#escape}, unambiguous);
 * this is the backstop for everything else, and leaves backslashes alone so that text is not escaped twice.
 * Registered in config/logback.xml with {@code <conversionRule conversionWord="safeMsg" class="..."/>}.
 */
public class SafeMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Printable.escapeControls(super.convert(event));
    }
}
