package dev.mailgateway.smtpd;

import dev.mailgateway.ops.GatewayMetrics;
import dev.mailgateway.smtpd.internal.ListenerMetrics;
import dev.mailgateway.smtpd.internal.ListenerSettings;
import dev.mailgateway.smtpd.internal.SmtpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.camel.Processor;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The listener as a Camel consumer: binds the listening socket and runs its sessions on the component's event
 * loops, with the settings {@link ListenerSetup} makes of the configuration; each received message goes to the
 * route through {@link RouteHandOff}, and the client's reply waits for the route's outcome ({@link RouteOutcome}).
 * Stopping drains the sessions first, then the workers.
 */
public class SmtpdConsumer extends DefaultConsumer {

    private ExecutorService workers;
    private ExecutorService spillWriters;
    private ScheduledExecutorService maintenance;
    private ScheduledThreadPoolExecutor deadlines;
    private RoutePolicyCheck routeCheck;
    private SmtpServer server;
    private ListenerMetrics metrics;
    private volatile InetSocketAddress localAddress;

    public SmtpdConsumer(SmtpdEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SmtpdEndpoint getEndpoint() {
        return (SmtpdEndpoint) super.getEndpoint();
    }

    /** The address the listener is bound to (its real port when configured with port 0). */
    public InetSocketAddress getLocalAddress() {
        return localAddress;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SmtpdConfiguration config = getEndpoint().getConfiguration();
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        String name = "smtpd-" + getEndpoint().getName();
        workers = executors.newThreadPool(this, name, workerProfile(name, config));
        spillWriters = executors.newFixedThreadPool(this, name + "-spill", 2);
        maintenance = executors.newSingleThreadScheduledExecutor(this, name + "-maps");
        ListenerSetup setup = new ListenerSetup(getEndpoint(), workers, spillWriters, maintenance, getExceptionHandler());
        ListenerSettings settings = setup.settings(config);
        routeCheck = setup.routeCheck();
        // a plain JDK timer with cancelled tasks removed: Camel's scheduled pools refuse past 1000 queued tasks
        deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name + "-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        metrics = new ListenerMetrics(GatewayMetrics.registry(getEndpoint().getCamelContext()), settings.name());
        RouteHandOff handOff = new RouteHandOff(this, workers, deadlines, settings.replies().busy(), metrics);
        server = new SmtpServer(settings, handOff, getEndpoint().getComponent().eventLoops(), metrics,
                getExceptionHandler());
        localAddress = server.bind(config.getBind(), config.getPort());
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.shutdown(getEndpoint().getConfiguration().getShutdownTimeout());
            server = null;
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (routeCheck != null) {
            routeCheck.stop();
            routeCheck = null;
        }
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (workers != null) {
            executors.shutdownGraceful(workers);
            executors.shutdownGraceful(spillWriters);
            executors.shutdownNow(maintenance);
            deadlines.shutdownNow();
            workers = null;
        }
        super.doStop();
    }

    private static ThreadPoolProfile workerProfile(String name, SmtpdConfiguration config) {
        ThreadPoolProfile profile = new ThreadPoolProfile(name);
        profile.setPoolSize(config.getWorkerThreads());
        profile.setMaxPoolSize(config.getWorkerThreads());
        profile.setMaxQueueSize(config.getWorkerQueueSize());
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return profile;
    }
}
