package dev.mailgateway.ops;

import dev.mailgateway.smtpd.SmtpdConfiguration;
import dev.mailgateway.smtpd.SmtpdConsumer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs, in a few lines once the gateway has started: each listener with its address and TLS/AUTH modes, where
 * the spool is, how mail leaves, which checks and filters are on, and the admin URL. What an operator wants to
 * see first in the log, instead of Camel's list of every property it set.
 */
public final class StartupSummary {

    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.Gateway");

    private StartupSummary() {
    }

    public static void log(CamelContext context) {
        lines(context).forEach(LOG::info);
    }

    static List<String> lines(CamelContext context) {
        List<String> lines = new ArrayList<>();
        String hostname = value(context, "gateway.hostname", "");
        lines.add(hostname.isEmpty() ? "mail gateway is running (gateway.hostname unset: it uses this machine's name)"
                : "mail gateway " + hostname + " is running");
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof SmtpdConsumer listener && listener.getLocalAddress() != null) {
                SmtpdConfiguration config = listener.getEndpoint().getConfiguration();
                InetSocketAddress address = listener.getLocalAddress();
                lines.add(String.format(Locale.ROOT, "  listener %-11s %s:%d  TLS %s, AUTH %s", route.getId(),
                        address.getAddress().isAnyLocalAddress() ? "*" : address.getHostString(), address.getPort(), name(config.getTls()), name(config.getAuth())));
            }
        }
        String broker = value(context, "gateway.broker.url", "");
        lines.add("  spool      " + (broker.isEmpty()
                ? "embedded ActiveMQ broker in " + value(context, "gateway.data-dir", "data") + "/broker"
                : "external broker " + broker));
        lines.add("  relay      " + relay(context));
        lines.add("  policy     " + policy(context));
        lines.add("  filtering  " + filtering(context));
        lines.add("  events     " + (on(context, "gateway.events.enabled") ? "on (VirtualTopic.mail.events)" : "off")
                + ", archive " + (on(context, "gateway.archive.enabled") ? "on" : "off"));
        AdminServer admin = context.getRegistry().lookupByNameAndType(AdminServer.BEAN, AdminServer.class);
        InetSocketAddress adminAddress = admin == null ? null : admin.address();
        lines.add("  admin      " + (adminAddress == null ? "off"
                : "http://" + adminAddress.getHostString() + ":" + adminAddress.getPort()
                        + "/metrics, /health/live, /health/ready"));
        return lines;
    }

    private static String relay(CamelContext context) {
        if (!on(context, "gateway.relay.enabled")) {
            return "off (mail waits on mail.relay)";
        }
        String smarthost = value(context, "gateway.relay.smarthost", "");
        String transport = value(context, "gateway.transport-map", "");
        String way = !smarthost.isEmpty() ? "via smarthost " + smarthost
                : on(context, "gateway.relay.mx") ? "to each domain's MX hosts" : "to each domain's address records";
        return transport.isEmpty() ? way : way + ", transport map first";
    }

    private static String policy(CamelContext context) {
        List<String> on = new ArrayList<>();
        if (!value(context, "gateway.policy.dnsbl", "").isEmpty()) {
            on.add("DNSBL");
        }
        if (!value(context, "gateway.policy.rhsbl", "").isEmpty()) {
            on.add("RHSBL");
        }
        if (!value(context, "gateway.policy.rate-limits", "").isEmpty()) {
            on.add("rate limits");
        }
        if (on(context, "gateway.policy.greylist")) {
            on.add("greylisting");
        }
        if (on(context, "gateway.relay-recipients.verify")) {
            on.add("recipient verification");
        }
        String state = value(context, "gateway.state.redis", "");
        return (on.isEmpty() ? "relay control only" : "relay control, " + String.join(", ", on))
                + (state.isEmpty() ? "" : "; state in Redis");
    }

    private static String filtering(CamelContext context) {
        List<String> on = new ArrayList<>(List.of("content rules, attachments"));
        if (!value(context, "gateway.spam.rspamd.url", "").isEmpty()) {
            on.add("Rspamd " + value(context, "gateway.spam.rspamd.url", ""));
        }
        if (!value(context, "gateway.spam.spamd.address", "").isEmpty()) {
            on.add("spamd " + value(context, "gateway.spam.spamd.address", ""));
        }
        return String.join(", ", on) + "; SPF, DKIM, DMARC for untrusted clients";
    }

    private static String name(Enum<?> mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static boolean on(CamelContext context, String key) {
        return Boolean.parseBoolean(value(context, key, "false"));
    }

    private static String value(CamelContext context, String key, String otherwise) {
        String value = context.getPropertiesComponent().resolveProperty(key).orElse("").strip();
        return value.isEmpty() ? otherwise : value;
    }
}
