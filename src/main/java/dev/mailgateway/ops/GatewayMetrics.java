package dev.mailgateway.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The gateway's meters, one registry per Camel context (tests run several gateways in one JVM, each counts its own),
 * written out in Prometheus's text format on the admin port. Components find it in the context's registry; a
 * component started without the gateway around it (a test of one block) gets one of its own. Each area keeps its
 * meters in a class of its own next to the code that counts (smtpd's ListenerMetrics, the relay's DeliveryMetrics,
 * ...), built once, so that counting on the mail path is an increment, not a lookup.
 */
public final class GatewayMetrics {

    /** Its name in the Camel registry. */
    public static final String BEAN = "gatewayMetrics";
    /** Prometheus text exposition format 0.0.4, what every scraper reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private JvmGcMetrics gc;

    private GatewayMetrics() {
    }

    /** The context's metrics, made and bound on first use. */
    public static MeterRegistry registry(CamelContext context) {
        return of(context).registry;
    }

    public static GatewayMetrics of(CamelContext context) {
        synchronized (context) {
            GatewayMetrics metrics = context.getRegistry().lookupByNameAndType(BEAN, GatewayMetrics.class);
            if (metrics == null) {
                metrics = new GatewayMetrics();
                context.getRegistry().bind(BEAN, metrics);
            }
            return metrics;
        }
    }

    /**
     * The JVM's own meters (memory, GC, threads, classes, CPU, uptime), for the running gateway; the GC listener
     * goes when the context stops.
     */
    public synchronized void bindJvm(CamelContext context) throws Exception {
        if (gc != null) {
            return;
        }
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                closeJvm();
            }
        }, true, false);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry meters() {
        return registry;
    }

    /** Every meter, in Prometheus's text format. */
    public String scrape() {
        return registry.scrape();
    }

    private synchronized void closeJvm() {
        if (gc != null) {
            gc.close();
            gc = null;
        }
    }
}
