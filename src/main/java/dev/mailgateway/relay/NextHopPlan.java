package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import java.util.List;
import org.apache.camel.CamelContext;

/**
 * Where the relay would take a recipient's mail, worked out as delivery does it (transport map, smarthost, MX
 * lookup through the gateway's resolver, ourselves left out) without connecting anywhere: for {@code explain}.
 */
public final class NextHopPlan {

    /** Next hops in the order they would be tried ({@code host:port (tls)}), or why there are none. */
    public record Plan(String via, List<String> hosts, String failure) {
    }

    private final NextHopRouting routing;
    private final String transportMap;
    private final String smarthost;
    private final boolean mx;

    private NextHopPlan(NextHopRouting routing, SmtpRelayConfiguration config) {
        this.routing = routing;
        this.transportMap = config.getTransportMap() == null ? "" : config.getTransportMap();
        this.smarthost = config.getSmarthost() == null ? "" : config.getSmarthost().strip();
        this.mx = config.isMx();
    }

    /** The plan of the relay endpoint the shipped routes deliver with ({@code smtp-relay:out}). */
    public static NextHopPlan of(CamelContext context, String endpointUri) throws Exception {
        SmtpRelayEndpoint endpoint = context.getEndpoint(endpointUri, SmtpRelayEndpoint.class);
        SmtpRelayConfiguration config = endpoint.getConfiguration();
        return new NextHopPlan(NextHopRouting.of(config, RelaySettings.of(config, context).heloName(), context), config);
    }

    public Plan forRecipient(MailAddress recipient) {
        String domain = recipient.domainKey();
        NextHopRouting.Route route = routing.route(domain);
        if (route.failure() != null) {
            return new Plan(mx ? "MX" : "none", List.of(), route.failure().toString());
        }
        String via = mapped(domain) ? "transport map" : !smarthost.isEmpty() ? "smarthost" : "MX";
        return new Plan(via, route.candidates().stream()
                .map(hop -> hop.address() + " (" + (hop.name() == null ? "" : hop.name() + ", ") + "TLS "
                        + hop.tls().name().toLowerCase(java.util.Locale.ROOT) + ")").toList(), null);
    }

    private boolean mapped(String domain) {
        for (String entry : transportMap.split("\\s*,\\s*")) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).strip().equalsIgnoreCase(domain)) {
                return true;
            }
        }
        return false;
    }
}
