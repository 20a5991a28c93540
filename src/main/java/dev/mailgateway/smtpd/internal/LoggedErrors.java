package dev.mailgateway.smtpd.internal;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exception handler of a server that runs without a Camel consumer (tests of the protocol alone): unexpected
 * errors are logged, as a consumer's default handler would log them.
 */
final class LoggedErrors implements ExceptionHandler {

    static final LoggedErrors INSTANCE = new LoggedErrors();

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);

    private LoggedErrors() {
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        LOG.error("{}", message == null ? "unexpected error" : message, exception);
    }
}
