package dev.mailgateway.relay;

import dev.mailgateway.dns.Dns;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where mail for a domain goes, in the order to try: the transport map's next hop, else the smarthost, else the
 * domain's MX hosts (only those more preferred than ourselves when we are one of them), or why there is none.
 * Delivery and recipient verification both ask here: a probe that asked another server than delivery would use
 * would verify nothing.
 */
final class NextHopRouting {

    private static final Logger LOG = LoggerFactory.getLogger(NextHopRouting.class);

    /** The next hops to try for a domain, in order, or why there are none. */
    record Route(List<NextHop> candidates, RemoteReply failure) {

        static Route failed(RemoteReply failure) {
            return new Route(List.of(), failure);
        }
    }

    private final NextHops nextHops;
    private final SelfCheck self;
    private final int mxPort;
    /** Null when MX lookup is off. */
    private volatile Function<String, MxResolver.Answer> mx;

    private NextHopRouting(NextHops nextHops, Function<String, MxResolver.Answer> mx, SelfCheck self, int mxPort) {
        this.nextHops = nextHops;
        this.mx = mx;
        this.self = self;
        this.mxPort = mxPort;
    }

    /**
     * The routing a configuration describes.
     *
     * @param heloName our name, which an MX host that is ourselves has
     * @throws IllegalArgumentException when the smarthost would get its password over TLS that is not required
     */
    static NextHopRouting of(SmtpRelayConfiguration config, String heloName, CamelContext context)
            throws UnknownHostException {
        checkSmarthostTls(config);
        NextHops nextHops = NextHops.of(config.getTransportMap(), config.getSmarthost(), config.getSmarthostUsername(),
                config.getSmarthostPassword(), config.getSmarthostTls(), config.getTls(), config.getTlsPolicies());
        if (!config.isMx()) {
            return new NextHopRouting(nextHops, null, null, config.getMxPort());
        }
        // the gateway's one resolver (and cache), shared with the policy checks that ask DNS
        MxResolver resolver = new MxResolver(Dns.shared(context, config.getDnsServer(), config.getDnsTimeout()));
        return new NextHopRouting(nextHops, resolver::resolve,
                new SelfCheck(heloName, context, config.getMxPort()), config.getMxPort());
    }

    /**
     * A smarthost password goes only over TLS that proves whom we talk to (verify); over TLS that does not
     * (encrypt) only when the operator says so, with a warning; never over less.
     */
    private static void checkSmarthostTls(SmtpRelayConfiguration config) {
        boolean credentials = config.getSmarthostUsername() != null && !config.getSmarthostUsername().isBlank();
        if (!credentials || config.getSmarthost() == null || config.getSmarthost().isBlank()) {
            return;
        }
        switch (config.getSmarthostTls()) {
            case VERIFY -> { }
            case ENCRYPT -> LOG.warn("smarthost {}: the AUTH password goes over TLS whose certificate is not checked "
                    + "(smarthost TLS encrypt): a man in the middle can take it; use verify", config.getSmarthost());
            default -> throw new IllegalArgumentException("smarthost " + config.getSmarthost() + " has a user and"
                    + " password but TLS " + config.getSmarthostTls() + ": a password is only sent over TLS verify"
                    + " (or encrypt, explicitly)");
        }
    }

    /** Tests put a resolver of their own here, one that fails as no DNS answer can make ours fail. */
    void resolveMxWith(Function<String, MxResolver.Answer> resolver) {
        this.mx = resolver;
    }

    /** The next hops for a domain key ({@link dev.mailgateway.mail.MailAddress#domainKey}). Blocking: may ask DNS. */
    Route route(String domain) {
        Optional<NextHop> configured = nextHops.forDomain(domain);
        if (configured.isPresent()) {
            return new Route(List.of(configured.get()), null);
        }
        Function<String, MxResolver.Answer> resolver = mx;
        if (resolver == null) {
            return Route.failed(OutboundConnection.local(451, "4.4.3", "no next hop for " + domain));
        }
        MxResolver.Answer answer = resolver.apply(domain);
        if (answer.failure() != null) {
            return Route.failed(answer.failure());
        }
        // Postfix's rule: when we are one of the MX hosts, only those more preferred than us are tried
        Predicate<MxResolver.MxHost> ourselves = self == null ? host -> false : self.among();
        int mine = answer.hosts().stream().filter(ourselves).mapToInt(MxResolver.MxHost::preference).min()
                .orElse(Integer.MAX_VALUE);
        List<NextHop> candidates = new ArrayList<>();
        for (MxResolver.MxHost host : answer.hosts()) {
            if (host.preference() < mine) {
                for (InetAddress address : host.addresses()) {
                    candidates.add(NextHop.mx(host.name(), address, mxPort, nextHops.tlsFor(domain)));
                }
            }
        }
        if (candidates.isEmpty()) {
            return Route.failed(OutboundConnection.local(554, "5.4.6", "mail for " + domain + " loops back to myself"));
        }
        return new Route(candidates, null);
    }
}
