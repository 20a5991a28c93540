package dev.mailgateway.edit.address;

import dev.mailgateway.files.WatchedFile;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.ops.ThrottledWarnings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * An address map as Postfix's canonical_maps (canonical(5)): which address becomes which. One entry a line:
 * <pre>
 * # comment (a line whose first non-blank character is #); blank lines are ignored
 * alice@example.com          alice.smith@example.com    one address
 * @old.example               @new.example               a whole domain, the local part kept (bob@old.example
 *                                                       becomes bob@new.example)
 * @legacy.example            archive@example.com        a whole domain, to one address
 * /^(.*)\.(.*)@corp\.example$/i   $1_$2@example.com     a Java regex on the whole address ($1, ${1}: its groups;
 *                                                       $$: a dollar; flag i: regardless of case)
 * </pre>
 * Lookup order, as Postfix's: the exact address, then {@code @domain}, then the regexes in file order (Postfix
 * with a hash map before a regexp map); the first that applies wins. Keys match regardless of case (the domain as
 * DNS does; the local part as Postfix's tables do), and a result's local part keeps the case it has (the
 * original's, for {@code @domain} results). Postfix's {@code user} key (a local part in our own domains) is not
 * offered: the gateway has no domains of its own. An entry that does not parse is an IllegalArgumentException
 * {@code sender map line N: why}.
 */
public final class AddressMap {

    /** No entries: nothing is rewritten. */
    public static final AddressMap EMPTY = new AddressMap(Map.of(), Map.of(), List.of());

    /** What a lookup found: the replacement (a full address, or with $ groups filled in) and the line it is on. */
    public record Found(String replacement, int line) {
    }

    /** One entry's replacement as written: an address, {@code @domain} or (for a regex) a template. */
    record Entry(String replacement, int line) {
    }

    private final Map<String, Entry> addresses;
    private final Map<String, Entry> domains;
    private final List<MapPattern> patterns;
    /** Warnings about what this map's lines make of addresses: a map loaded anew (a fixed line) warns anew. */
    private final ThrottledWarnings warnings = new ThrottledWarnings(LoggerFactory.getLogger(AddressMap.class),
            Duration.ofMinutes(1));

    AddressMap(Map<String, Entry> addresses, Map<String, Entry> domains, List<MapPattern> patterns) {
        this.addresses = Map.copyOf(addresses);
        this.domains = Map.copyOf(domains);
        this.patterns = List.copyOf(patterns);
    }

    /** The map in this text (the file format above); {@code name} (sender map) starts every error message. */
    public static AddressMap parse(String text, String name) {
        return MapParser.parse(text, name);
    }

    /**
     * The map in this file, re-read when it changes (see {@link WatchedFile}): a file that does not parse is an
     * error now, and later keeps the map loaded before, logging the line. No file: an empty map.
     */
    public static WatchedFile<AddressMap> watch(Path file, String name, Clock clock) {
        return new WatchedFile<>(file, clock, LoggerFactory.getLogger(AddressMap.class),
                new WatchedFile.Format<>(name, text -> parse(text, name), EMPTY, AddressMap::summary));
    }

    /** One lookup (no recursion: see {@link AddressRewriter}); null when no entry applies. */
    public Found find(MailAddress address) {
        Entry entry = addresses.get(key(address));
        if (entry == null) {
            entry = domains.get(address.domainKey());
        }
        if (entry != null) {
            return new Found(withLocalPart(entry.replacement(), address), entry.line());
        }
        String text = address.toString();
        for (MapPattern pattern : patterns) {
            String result = pattern.apply(text);
            if (result != null) {
                return new Found(withLocalPart(result, address), pattern.line());
            }
        }
        return null;
    }

    ThrottledWarnings warnings() {
        return warnings;
    }

    public boolean isEmpty() {
        return addresses.isEmpty() && domains.isEmpty() && patterns.isEmpty();
    }

    /** How an exact entry's key is written: local part in lower case, the domain's lookup key. */
    static String key(MailAddress address) {
        return address.localPart().toLowerCase(Locale.ROOT) + "@" + address.domainKey();
    }

    /** A result of the form @otherdomain is the original's local part at otherdomain (canonical(5)). */
    private static String withLocalPart(String replacement, MailAddress original) {
        return replacement.startsWith("@") ? original.localPart() + replacement : replacement;
    }

    String summary() {
        return addresses.size() + " addresses, " + domains.size() + " domains, " + patterns.size() + " patterns";
    }

    @Override
    public String toString() {
        return "AddressMap[" + summary() + "]";
    }
}
