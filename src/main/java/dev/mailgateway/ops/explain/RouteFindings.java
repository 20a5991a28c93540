package dev.mailgateway.ops.explain;

import dev.mailgateway.filter.MailFilterConstants;
import dev.mailgateway.mailauth.MailAuthConstants;
import dev.mailgateway.policy.MailPolicyConstants;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.Exchange;
import org.apache.camel.support.EventNotifierSupport;

/**
 * What the policy route found at each stage, and what the listener's route found about the message, read off each
 * exchange as it completes: the blocks' score, reasons, proposed reply, authentication results and verdict.
 */
final class RouteFindings extends EventNotifierSupport {

    /** One completed exchange of the policy route or of a listener's route. */
    record Finding(String route, String stage, Double score, List<String> reasons, String reply, String proposed,
            List<String> authentication, String verdict, boolean quarantine) {
    }

    private final List<Finding> findings = new CopyOnWriteArrayList<>();

    RouteFindings() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreStepEvents(true);
    }

    void clear() {
        findings.clear();
    }

    List<Finding> findings() {
        return findings;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        String route = exchange.getFromRouteId();
        var message = exchange.getMessage();
        // the policy route's exchanges carry the stage; a listener's route is the one whose consumer is smtpd
        boolean policy = message.getHeader(SmtpdConstants.STAGE) != null;
        boolean listener = route != null && exchange.getContext().getRoute(route) != null
                && exchange.getContext().getRoute(route).getConsumer() instanceof dev.mailgateway.smtpd.SmtpdConsumer;
        if (!policy && !listener) {
            return;
        }
        findings.add(new Finding(route, message.getHeader(SmtpdConstants.STAGE, String.class),
                message.getHeader(MailPolicyConstants.SCORE, Double.class),
                strings(message.getHeader(MailPolicyConstants.REASONS, List.class)),
                message.getHeader(SmtpdConstants.REPLY, String.class),
                message.getHeader(MailPolicyConstants.REPLY, String.class),
                strings(message.getHeader(MailAuthConstants.RESULTS, List.class)),
                message.getHeader(MailFilterConstants.VERDICT, String.class),
                Boolean.TRUE.equals(message.getHeader(MailAuthConstants.QUARANTINE, Boolean.class))));
    }

    private static List<String> strings(List<?> values) {
        List<String> strings = new ArrayList<>();
        if (values != null) {
            values.forEach(v -> strings.add(String.valueOf(v)));
        }
        return strings;
    }

    static Map<String, Object> asMap(Finding finding) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (finding.stage() != null) {
            map.put("stage", finding.stage().toLowerCase(java.util.Locale.ROOT));
        }
        map.put("score", finding.score());
        map.put("reasons", finding.reasons());
        if (finding.reply() != null) {
            map.put("reply", finding.reply());
        } else if (finding.proposed() != null) {
            map.put("proposedReply", finding.proposed());
        }
        return map;
    }
}
