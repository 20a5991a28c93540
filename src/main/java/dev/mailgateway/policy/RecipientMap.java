package dev.mailgateway.policy;

import dev.mailgateway.mail.MailAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The valid recipients of relay domains, as Postfix's relay_recipient_maps: a text file with one address per line
 * ({@code alice@example.com}) or a whole domain ({@code @example.com}); {@code #} starts a comment. A domain with
 * no line in the file is not validated. Lookups only read memory; {@link #reloadIfChanged()}, called by its owner
 * on a background thread every few seconds, re-reads the file when it changed. A file that cannot be read keeps
 * the previous contents and is logged.
 */
public final class RecipientMap {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientMap.class);

    private record Entries(Set<String> addresses, Set<String> domains, Set<String> wholeDomains) {
        static final Entries NONE = new Entries(Set.of(), Set.of(), Set.of());
    }

    private final Path file;
    private final String delimiter;
    private volatile Entries entries = Entries.NONE;
    private long lastModified = Long.MIN_VALUE;

    /**
     * @param delimiter the address extension delimiter ({@code +}: {@code user+tag@} looks up {@code user@}),
     *                  empty for none
     */
    public RecipientMap(Path file, String delimiter) {
        this.file = file;
        this.delimiter = delimiter == null ? "" : delimiter;
        reloadIfChanged();
    }

    /** True when the recipient's domain is listed in the map, so its users are validated. */
    public boolean validates(MailAddress recipient) {
        return entries.domains().contains(recipient.domainKey());
    }

    /** True when the map knows the recipient (by address, address without extension, or whole domain). */
    public boolean knows(MailAddress recipient) {
        Entries e = entries;
        String domain = recipient.domainKey();
        if (e.wholeDomains().contains(domain)) {
            return true;
        }
        String local = recipient.localPart().toLowerCase(Locale.ROOT);
        if (e.addresses().contains(local + "@" + domain)) {
            return true;
        }
        int extension = delimiter.isEmpty() ? -1 : local.indexOf(delimiter);
        return extension > 0 && e.addresses().contains(local.substring(0, extension) + "@" + domain);
    }

    /** Re-reads the file if its modification time changed (or it appeared or went away). */
    public synchronized void reloadIfChanged() {
        try {
            long modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : -1;
            if (modified == lastModified) {
                return;
            }
            entries = modified < 0 ? Entries.NONE : read(Files.readAllLines(file, StandardCharsets.UTF_8));
            lastModified = modified;
            LOG.info("recipient map {}: {} addresses, {} domains validated", file,
                    entries.addresses().size(), entries.domains().size());
        } catch (IOException | RuntimeException e) {
            LOG.error("recipient map {} could not be read; keeping the previous contents", file, e);
        }
    }

    private static Entries read(List<String> lines) {
        Set<String> addresses = new HashSet<>();
        Set<String> domains = new HashSet<>();
        Set<String> wholeDomains = new HashSet<>();
        for (String raw : lines) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim().toLowerCase(Locale.ROOT);
            if (line.isEmpty()) {
                continue;
            }
            int at = line.lastIndexOf('@');
            if (at < 0 || at == line.length() - 1) {
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
