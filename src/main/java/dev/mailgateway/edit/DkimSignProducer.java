package dev.mailgateway.edit;

import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.mailauth.dkim.DkimSigner;
import dev.mailgateway.mailauth.dkim.SigningKey;
import dev.mailgateway.mailauth.dkim.SigningKeys;
import dev.mailgateway.mailauth.dmarc.FromDomains;
import dev.mailgateway.mailauth.dmarc.OrganizationalDomains;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mail-edit:dkim-sign}: signs our own mail with the keys of its From domain (RFC 5322.From, the domain DMARC
 * aligns with), one DKIM-Signature per key on top of the message; no other byte changes. A From domain without keys
 * of its own is signed with its organizational domain's keys ({@code d=example.com} for {@code mail.example.com}):
 * that aligns under DMARC's relaxed alignment, the default, and is what Rspamd's signing does by default
 * ({@code use_esld}), so one key serves an organization's subdomains. The public suffix list is DMARC's
 * ({@code gateway.dmarc.psl-file}, else the bundled one). Mail whose From domain has no key either way goes on
 * unsigned with the reason in {@code MailDkimSigned}: never a failure of the message. The route
 * decides which mail comes here (as shipped: authenticated users and trusted networks), as its last step before
 * the spool, so that a delivery retry never signs again. The keys are read at start (a key that cannot sign stops
 * the start, saying why) and again when their directory changes.
 */
final class DkimSignProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(DkimSignProducer.class);

    private SigningKeys keys;
    private OrganizationalDomains organizations;
    private DkimSigner signer;

    DkimSignProducer(MailEditEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailEditEndpoint getEndpoint() {
        return (MailEditEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MailEditConfiguration config = getEndpoint().getConfiguration();
        if (config.getKeys() == null || config.getKeys().isBlank()) {
            throw new IllegalArgumentException("mail-edit:dkim-sign: keys is empty: name the directory of signing"
                    + " keys (gateway.dkim.keys)");
        }
        keys = SigningKeys.watch(Path.of(config.getKeys().strip()));
        organizations = OrganizationalDomains.configured(getEndpoint().getCamelContext().getPropertiesComponent()
                .resolveProperty("gateway.dmarc.psl-file").orElse(""));
        signer = new DkimSigner(names(config.getSignedHeaders(), DkimSigner.RECOMMENDED),
                names(config.getOversignedHeaders(), List.of()), Clock.systemUTC());
    }

    /** A comma-separated list of field names; blank: the default. */
    private static List<String> names(String configured, List<String> blank) {
        if (configured == null || configured.isBlank()) {
            return blank;
        }
        return Arrays.stream(configured.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        if (message.getHeader(SmtpdConstants.STAGE) != null) { // a policy route: there is no message yet
            notSigned(exchange, "no message at " + message.getHeader(SmtpdConstants.STAGE));
            return;
        }
        if (keys.isEmpty()) { // as shipped: not even the From is read
            notSigned(exchange, "no signing keys in " + keys.directory());
            return;
        }
        List<String> domains = FromDomains.of(MessageBytes.headerSection(message)).stream().distinct().toList();
        if (domains.isEmpty()) {
            notSigned(exchange, "no From address that parses");
            return;
        }
        List<SigningKey> signing = domains.stream().flatMap(domain -> keysFor(domain).stream()).distinct().toList();
        if (signing.isEmpty()) {
            notSigned(exchange, "no key for " + String.join(", ", domains));
            return;
        }
        Optional<byte[]> signatures;
        try (InputStream in = MessageBytes.open(message)) {
            signatures = signer.sign(in, signing);
        }
        if (signatures.isEmpty()) {
            notSigned(exchange, "header section too large");
            return;
        }
        MessageBytes.replaceHeader(exchange, signatures.get(), 0);
        message.setHeader(MailEditConstants.DKIM_SIGNED,
                signing.stream().map(SigningKey::toString).collect(Collectors.joining(", ")));
    }

    /** The From domain's own keys; without any, its organizational domain's. */
    private List<SigningKey> keysFor(String domain) {
        List<SigningKey> own = keys.forDomain(domain);
        if (!own.isEmpty()) {
            return own;
        }
        String organization = organizations.of(domain);
        return organization.equals(domain) ? own : keys.forDomain(organization);
    }

    private static void notSigned(Exchange exchange, String why) {
        exchange.getMessage().setHeader(MailEditConstants.DKIM_SIGNED, why);
        LOG.debug("{}: not DKIM-signed: {}", exchange.getMessage().getHeader(SmtpdConstants.QUEUE_ID), why);
    }
}
