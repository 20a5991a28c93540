package dev.mailgateway.smtpd;

import dev.mailgateway.auth.AuthThrottle;
import dev.mailgateway.smtpd.internal.EventLoops;
import dev.mailgateway.smtpd.internal.MessageBudget;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code smtpd} component: an ESMTP listener as a Camel consumer ({@code from: smtpd:mx?port=2525}). Each
 * endpoint is one listener with its own copy of the configuration; all listeners share the component's Netty
 * threads.
 */
@org.apache.camel.spi.annotations.Component("smtpd")
public class SmtpdComponent extends DefaultComponent {

    @Metadata(description = "Default options for every listener of this component")
    private SmtpdConfiguration configuration = new SmtpdConfiguration();
    @Metadata(description = "Netty threads that accept and serve connections for all listeners (default: half the cores)")
    private int ioThreads = EventLoops.defaultThreads();

    @Metadata(defaultValue = "0", description = "Bytes of messages between the end of DATA and the route's answer, all listeners "
            + "together (the route holds a message in memory to spool it); 0: a sixteenth of the heap")
    private long maxBytesInFlight;
    @Metadata(defaultValue = "60s", description = "How long a message may wait for room in that budget before"
            + " 452 4.3.1")
    private Duration budgetWait = Duration.ofSeconds(60);

    private EventLoops eventLoops;
    private MessageBudget budget;
    private final Map<String, AuthThrottle> authThrottles = new HashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("smtpd needs a listener name, e.g. smtpd:mx");
        }
        SmtpdConfiguration config = configuration.copy();
        setProperties(config, parameters);
        SmtpdEndpoint endpoint = new SmtpdEndpoint(uri, this, remaining, config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    synchronized MessageBudget budget() {
        if (budget == null) {
            budget = new MessageBudget(maxBytesInFlight > 0 ? maxBytesInFlight : Runtime.getRuntime().maxMemory() / 16);
        }
        return budget;
    }

    synchronized EventLoops eventLoops() {
        if (eventLoops == null) {
            eventLoops = new EventLoops(ioThreads);
        }
        return eventLoops;
    }

    /**
     * The failed-AUTH table for these limits, shared by every listener that uses the same limits: a client that
     * guessed wrong on one port does not start afresh on another.
     */
    synchronized AuthThrottle authThrottle(int maxFailures, Duration window) {
        return authThrottles.computeIfAbsent(maxFailures + "/" + window, k -> new AuthThrottle(maxFailures, window));
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (eventLoops != null) {
                eventLoops.shutdown();
                eventLoops = null;
            }
        }
        super.doStop();
    }

    public SmtpdConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SmtpdConfiguration configuration) {
        this.configuration = configuration;
    }

    public long getMaxBytesInFlight() {
        return maxBytesInFlight;
    }

    public void setMaxBytesInFlight(long maxBytesInFlight) {
        this.maxBytesInFlight = maxBytesInFlight;
    }

    public Duration getBudgetWait() {
        return budgetWait;
    }

    public void setBudgetWait(Duration budgetWait) {
        this.budgetWait = budgetWait;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }
}
