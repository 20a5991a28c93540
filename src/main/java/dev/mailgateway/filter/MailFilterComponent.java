package dev.mailgateway.filter;

import dev.mailgateway.filter.content.ContentLimits;
import dev.mailgateway.filter.content.ContentRules;
import dev.mailgateway.filter.content.ContentScanner;
import dev.mailgateway.ops.GatewayMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code mail-filter} component: content filtering as route steps ({@code mail-filter:rspamd},
 * {@code spamassassin}, {@code rules}, {@code attachments}, {@code verdict}, {@code tag}). Every block adds to the
 * message's score and reasons; {@code verdict} turns them into pass / tag / quarantine / tempfail / reject, which
 * the route acts on; {@code tag} writes the X-Spam headers. The engines' clients share one I/O thread and one pool
 * of threads that continue routes when an answer comes.
 */
@org.apache.camel.spi.annotations.Component("mail-filter")
public class MailFilterComponent extends DefaultComponent {

    @Metadata(description = "Default options of every block")
    private MailFilterConfiguration configuration = new MailFilterConfiguration();

    private final ContentScanner scanner = new ContentScanner(ContentLimits.DEFAULT);
    private final Map<String, ContentRules.Watched> rulesFiles = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> engineFailures = new ConcurrentHashMap<>();
    private final Map<String, Timer> engineScans = new ConcurrentHashMap<>();
    private ExecutorService continuations;
    private EventLoopGroup engineIo;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MailFilterConfiguration config = configuration.copy();
        setProperties(config, parameters);
        MailFilterEndpoint endpoint = new MailFilterEndpoint(uri, this, MailFilterEndpoint.Block.named(remaining),
                config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        continuations = getCamelContext().getExecutorServiceManager().newThreadPool(this, "mail-filter", 2, 32);
    }

    @Override
    protected void doStop() throws Exception {
        if (engineIo != null) {
            engineIo.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
            engineIo = null;
        }
        if (continuations != null) {
            getCamelContext().getExecutorServiceManager().shutdown(continuations);
        }
        super.doStop();
    }

    /** Threads that continue a route when an engine answered (never the engine's I/O thread). */
    ExecutorService continuations() {
        return continuations;
    }

    /** The one I/O thread of the engine clients (Rspamd, spamd), made when the first is. */
    synchronized EventLoopGroup engineIo() {
        if (engineIo == null) {
            engineIo = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        }
        return engineIo;
    }

    /** The rules of this file as they are now (the file is re-read when it changes); blank: GTUBE only. */
    ContentRules rules(String file) {
        String key = file == null ? "" : file.strip();
        if (key.isEmpty()) {
            return ContentRules.builtIn();
        }
        return rulesFiles.computeIfAbsent(key, f -> ContentRules.watch(Path.of(f))).current();
    }

    ContentScanner scanner() {
        return scanner;
    }

    /** Counts a failed scan of this engine (mail_filter_engine_failures_total). */
    void engineFailed(String engine) {
        engineFailures.computeIfAbsent(engine, e -> {
            AtomicLong count = new AtomicLong();
            FunctionCounter.builder("mail.filter.engine.failures", count, AtomicLong::get).tag("engine", engine)
                    .description("Scans that timed out, could not connect or got garbage; the mail went on as"
                            + " gateway.spam.on-engine-failure says").register(meters());
            return count;
        }).incrementAndGet();
    }

    /** How long one scan took, answered or failed (mail_filter_engine_latency_seconds). */
    void engineScanned(String engine, boolean answered, long nanos) {
        engineScans.computeIfAbsent(engine + answered, k -> Timer.builder("mail.filter.engine.latency")
                .tag("engine", engine).tag("result", answered ? "answered" : "failed")
                .description("Time from asking a spam engine to its answer or failure")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30))
                .register(meters())).record(nanos, TimeUnit.NANOSECONDS);
    }

    private MeterRegistry meters() {
        return GatewayMetrics.registry(getCamelContext());
    }

    /** Failed scans so far, per engine name ({@code rspamd}, {@code spamassassin}). */
    public Map<String, Long> engineFailures() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        engineFailures.forEach((engine, count) -> counts.put(engine, count.get()));
        return counts;
    }

    public MailFilterConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(MailFilterConfiguration configuration) {
        this.configuration = configuration;
    }
}
