package dev.mailgateway.mailauth.dmarc;

import crawlercommons.domains.EffectiveTldFinder;
import dev.mailgateway.mail.DomainNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The organizational domain (RFC 7489 §3.2) from the Public Suffix List: the public suffix of a domain plus one
 * label. The list is the copy bundled in crawler-commons, or a newer {@code public_suffix_list.dat} given as a file.
 *
 * <p>Only crawler-commons' data is used, not its {@code EffectiveTldFinder}: that one is a JVM-wide singleton
 * (loading a newer file replaces the list for every user, unsafely for lookups under way), and it has no default
 * rule, so a name under a TLD the list lacks ({@code mail.example.test}) is its own organizational domain and
 * never aligns with {@code example.test}. The list's algorithm (publicsuffix.org/list) is small enough to apply
 * here: exception rules first, else the longest matching rule, else the default rule {@code *} (the last label).
 *
 * <p>Immutable, so safe to share between threads. Names are compared in lower case and ASCII (punycode) form, a
 * trailing dot ignored; labels are not validated, so {@code _dmarc} labels do no harm.
 */
public final class OrganizationalDomains {

    /** Bounds a file given by mistake (the real list is about 300 KB). */
    private static final long MAX_FILE_BYTES = 16L << 20;

    private final Set<String> rules;
    private final Set<String> wildcards; // the part after "*."
    private final Set<String> exceptions; // the part after "!"

    private OrganizationalDomains(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
        this.rules = Set.copyOf(rules);
        this.wildcards = Set.copyOf(wildcards);
        this.exceptions = Set.copyOf(exceptions);
    }

    /** Loaded once, on first use: parsing the list takes a few tens of milliseconds. */
    private static final class Bundled {
        static final OrganizationalDomains LIST = load();

        private static OrganizationalDomains load() {
            // the class literal does not initialize EffectiveTldFinder (whose singleton would parse the list again)
            try (InputStream in = EffectiveTldFinder.class.getResourceAsStream(EffectiveTldFinder.ETLD_DATA)) {
                if (in == null) {
                    throw new IllegalStateException("crawler-commons' public suffix list "
                            + EffectiveTldFinder.ETLD_DATA + " is not on the class path");
                }
                return parse(in, "the bundled public suffix list");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The list {@code gateway.dmarc.psl-file} names: that file, or the bundled list when blank (DMARC's check and
     * DKIM signing use the same).
     */
    public static OrganizationalDomains configured(String pslFile) throws IOException {
        return pslFile == null || pslFile.isBlank() ? bundled() : fromFile(Path.of(pslFile.strip()));
    }

    /** The list bundled in crawler-commons (its date is in the file's {@code VERSION} comment). */
    public static OrganizationalDomains bundled() {
        return Bundled.LIST;
    }

    /**
     * A newer list in the {@code public_suffix_list.dat} format, instead of the bundled one.
     *
     * @throws IOException when the file cannot be read, is over 16 MB, or has no rule at all (an empty or
     *                     truncated download would make every domain its own organization)
     */
    public static OrganizationalDomains fromFile(Path pslFile) throws IOException {
        if (Files.size(pslFile) > MAX_FILE_BYTES) {
            throw new IOException(pslFile + " is over " + MAX_FILE_BYTES + " bytes: not a public suffix list");
        }
        try (InputStream in = Files.newInputStream(pslFile)) {
            return parse(in, pslFile.toString());
        }
    }

    private static OrganizationalDomains parse(InputStream in, String source) throws IOException {
        Set<String> rules = new HashSet<>();
        Set<String> wildcards = new HashSet<>();
        Set<String> exceptions = new HashSet<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String rule = line.strip();
            if (rule.isEmpty() || rule.startsWith("//")) {
                continue;
            }
            int space = indexOfWhitespace(rule); // the format: a rule is the line up to the first whitespace
            if (space >= 0) {
                rule = rule.substring(0, space);
            }
            if (rule.startsWith("!")) {
                add(exceptions, rule.substring(1));
            } else if (rule.startsWith("*.")) {
                add(wildcards, rule.substring(2));
            } else {
                add(rules, rule);
            }
        }
        if (rules.isEmpty() && wildcards.isEmpty() && exceptions.isEmpty()) {
            throw new IOException(source + " has no public suffix rule");
        }
        return new OrganizationalDomains(rules, wildcards, exceptions);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A rule in the form names are looked up in: lower case, internationalized labels in ASCII form. */
    private static void add(Set<String> set, String rule) {
        String key = key(rule);
        if (key != null && !key.isEmpty()) {
            set.add(key);
        }
    }

    /**
     * The organizational domain of {@code domain}: lower case, ASCII form, without a trailing dot. A domain that
     * is itself a public suffix ({@code co.uk}) has none by RFC 7489's steps; it is given back as it is, so that it
     * aligns only with itself.
     */
    public String of(String domain) {
        String name = key(java.util.Objects.requireNonNull(domain, "domain"));
        if (name.isEmpty()) {
            return name;
        }
        String[] labels = name.split("\\.", -1);
        int suffixLabels = publicSuffixLabels(labels);
        if (labels.length <= suffixLabels) {
            return name;
        }
        return suffix(labels, suffixLabels + 1);
    }

    /** How many labels on the right are the public suffix (publicsuffix.org's algorithm, at least one). */
    private int publicSuffixLabels(String[] labels) {
        int longest = 1; // the default rule "*"
        for (int n = 1; n <= labels.length; n++) {
            String candidate = suffix(labels, n);
            if (exceptions.contains(candidate)) {
                return n - 1; // an exception rule wins, and its leftmost label is not part of the suffix
            }
            if (rules.contains(candidate) || n >= 2 && wildcards.contains(suffix(labels, n - 1))) {
                longest = n;
            }
        }
        return longest;
    }

    private static String suffix(String[] labels, int count) {
        return String.join(".", java.util.Arrays.asList(labels).subList(labels.length - count, labels.length));
    }

    /**
     * A domain as a comparison key: lower case, internationalized labels in ASCII form, a single trailing dot (the
     * root) dropped; null for null.
     */
    static String key(String domain) {
        if (domain == null) {
            return null;
        }
        String name = domain.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return DomainNames.key(name.toLowerCase(Locale.ROOT));
    }

    /** Whether two domains have one organizational domain: DMARC's relaxed alignment (RFC 7489 §3.1). */
    boolean sameOrganization(String a, String b) {
        return a != null && b != null && of(a).equals(of(b));
    }
}
