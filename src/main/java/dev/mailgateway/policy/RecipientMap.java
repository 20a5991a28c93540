package dev.mailgateway.policy;

import dev.mailgateway.mail.MailAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The valid recipients of relay domains, as Postfix's relay_recipient_maps: a text file with one address per line
 * ({@code alice@example.com}) or a whole domain ({@code @example.com}). A relay domain with no line in the file
 * has no known users ({@link RecipientValidation} fails closed). Lookups ignore case and an address extension
 * ({@code user+tag@}).
 */
public final class RecipientMap {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientMap.class);

    private record Entries(Set<String> addresses, Set<String> domains, Set<String> wholeDomains) {
        static final Entries NONE = new Entries(Set.of(), Set.of(), Set.of());
    }

    private final LookupFile<Entries> file;
    private final String delimiter;

    /**
     * @param delimiter the address extension delimiter ({@code +}: {@code user+tag@} looks up {@code user@}),
     *                  empty for none
     */
    public RecipientMap(Path file, String delimiter) {
        this.file = new LookupFile<>(file, RecipientMap::read, Entries.NONE);
        this.delimiter = delimiter == null ? "" : delimiter;
    }

    public LookupFile<?> file() {
        return file;
    }

    /** True when the recipient's domain is listed in the map, so its users are validated. */
    public boolean validates(MailAddress recipient) {
        return listsDomain(recipient.domainKey());
    }

    /** True when the map has a line for the domain (a domain key). */
    public boolean listsDomain(String domain) {
        return file.current().domains().contains(domain);
    }

    /** True when the map knows the recipient (by address, address without extension, or whole domain). */
    public boolean knows(MailAddress recipient) {
        return file.current().wholeDomains().contains(recipient.domainKey()) || listsAddress(recipient);
    }

    /** True when the map names the recipient itself (with or without its extension), not just its domain. */
    public boolean listsAddress(MailAddress recipient) {
        Entries e = file.current();
        String domain = recipient.domainKey();
        String local = recipient.localPart().toLowerCase(Locale.ROOT);
        if (e.addresses().contains(local + "@" + domain)) {
            return true;
        }
        int extension = delimiter.isEmpty() ? -1 : local.indexOf(delimiter);
        return extension > 0 && e.addresses().contains(local.substring(0, extension) + "@" + domain);
    }

    private static Entries read(List<String> lines) {
        Set<String> addresses = new HashSet<>();
        Set<String> domains = new HashSet<>();
        Set<String> wholeDomains = new HashSet<>();
        for (String raw : lines) {
            String line = raw.toLowerCase(Locale.ROOT);
            int at = line.lastIndexOf('@');
            if (at < 0 || at == line.length() - 1 || line.indexOf(' ') >= 0) {
                LOG.warn("recipient map: ignoring a line that is not an address or @domain: {}", raw);
                continue;
            }
            String domain = line.substring(at + 1);
            domains.add(domain);
            if (at == 0) {
                wholeDomains.add(domain);
            } else {
                addresses.add(line);
            }
        }
        return new Entries(Set.copyOf(addresses), Set.copyOf(domains), Set.copyOf(wholeDomains));
    }
}
