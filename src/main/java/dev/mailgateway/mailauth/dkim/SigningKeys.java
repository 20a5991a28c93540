package dev.mailgateway.mailauth.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of a directory ({@code <domain>.<selector>.key}), by domain. Every key of a domain signs its
 * mail: an RSA and an Ed25519 key give two signatures (RFC 8463 §4: Ed25519 alongside RSA, for verifiers that know
 * only RSA), and an old and a new key of one type both sign while the new record reaches DNS, so rotating a key
 * leaves no gap. No directory, or one without keys: nothing is signed.
 *
 * <p>Read at start, where a key that cannot sign stops the gateway with the reason. Re-read when the directory's
 * keys change (names, times, sizes; looked at no more than once a second by whichever thread asks): a change that
 * does not load keeps the keys loaded before and logs why, so a half-copied key never stops signing.
 */
public final class SigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    private static final long CHECK_EVERY_MILLIS = 1000;

    private final Path directory;
    private final Clock clock;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Map<String, List<SigningKey>> byDomain;
    private volatile long checkedAt;
    private Map<Path, Stamp> stamps; // guarded by checking

    private SigningKeys(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
        this.stamps = stamps(directory);
        this.byDomain = load(directory, stamps.keySet());
        this.checkedAt = clock.millis();
        LOG.info("DKIM signing keys in {}: {}", directory, byDomain.isEmpty() ? "none, no mail is signed"
                : byDomain.values().stream().flatMap(List::stream).map(SigningKey::toString).toList());
    }

    /**
     * @throws IllegalArgumentException naming the first key file that cannot sign, and why
     * @throws UncheckedIOException     when the directory exists and cannot be listed
     */
    public static SigningKeys watch(Path directory) {
        return watch(directory, Clock.systemUTC());
    }

    static SigningKeys watch(Path directory, Clock clock) {
        return new SigningKeys(directory, clock);
    }

    /** The keys that sign this domain's mail (a lookup key: lower case, ASCII form), RSA first; empty: none. */
    public List<SigningKey> forDomain(String domain) {
        reloadIfDue();
        return byDomain.getOrDefault(domain, List.of());
    }

    /** No key at all: nothing to sign, whatever the From (as shipped). */
    public boolean isEmpty() {
        reloadIfDue();
        return byDomain.isEmpty();
    }

    public Path directory() {
        return directory;
    }

    private void reloadIfDue() {
        long now = clock.millis();
        long last = checkedAt;
        if ((now - last >= CHECK_EVERY_MILLIS || now < last) && checking.tryLock()) {
            try {
                if (checkedAt == last) {
                    checkedAt = now;
                    reloadIfChanged();
                }
            } finally {
                checking.unlock();
            }
        }
    }

    private void reloadIfChanged() {
        try {
            Map<Path, Stamp> seen = stamps(directory); // before reading: a change meanwhile shows next time
            if (seen.equals(stamps)) {
                return;
            }
            Map<String, List<SigningKey>> loaded = load(directory, seen.keySet());
            stamps = seen;
            byDomain = loaded;
            LOG.info("DKIM signing keys in {} reloaded: {}", directory,
                    loaded.values().stream().flatMap(List::stream).map(SigningKey::toString).toList());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            LOG.error("{}; keeping the DKIM keys loaded before", e.getMessage());
        }
    }

    private static Map<String, List<SigningKey>> load(Path directory, Iterable<Path> files) {
        Map<String, List<SigningKey>> byDomain = new TreeMap<>();
        for (Path file : files) {
            SigningKey key = SigningKeyFile.read(file);
            byDomain.computeIfAbsent(key.domain(), d -> new ArrayList<>()).add(key);
        }
        Comparator<SigningKey> rsaFirst = Comparator.comparing(SigningKey::signatureAlgorithm)
                .thenComparing(SigningKey::selector);
        byDomain.replaceAll((domain, keys) -> keys.stream().sorted(rsaFirst).toList());
        return Collections.unmodifiableMap(byDomain);
    }

    /** The key files and what tells a changed one; empty when there is no directory. */
    private static Map<Path, Stamp> stamps(Path directory) {
        Map<Path, Stamp> stamps = new TreeMap<>();
        if (!Files.exists(directory)) {
            return stamps;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, SigningKeyFile::isKeyFile)) {
            for (Path file : entries) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    stamps.put(file, new Stamp(attributes.lastModifiedTime(), attributes.size()));
                } catch (NoSuchFileException gone) {
                    // removed while listed: not a key any more
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("DKIM keys directory " + directory + " cannot be read: " + e, e);
        }
        return stamps;
    }

    private record Stamp(FileTime modified, long size) {
    }
}
