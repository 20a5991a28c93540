package dev.mailgateway.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's lookup table in a text file (Postfix calls them maps): lines of text, {@code #} comments and blank
 * lines dropped, parsed into a value. Lookups read memory only; {@link #reloadIfChanged()}, called by its owner
 * on a background thread, re-reads the file when its modification time changed. A file that cannot be read or
 * parsed keeps the previous contents, and says so in the log; a file that is missing means an empty table.
 */
public final class LookupFile<T> {

    private static final Logger LOG = LoggerFactory.getLogger(LookupFile.class);

    private final Path file;
    private final Function<List<String>, T> parser;
    private final T empty;
    private volatile T current;
    private long lastModified = Long.MIN_VALUE;

    public LookupFile(Path file, Function<List<String>, T> parser, T empty) {
        this.file = file;
        this.parser = parser;
        this.empty = empty;
        this.current = empty;
        reloadIfChanged();
    }

    public T current() {
        return current;
    }

    public Path file() {
        return file;
    }

    public synchronized void reloadIfChanged() {
        try {
            long modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : -1;
            if (modified == lastModified) {
                return;
            }
            current = modified < 0 ? empty : parser.apply(lines(Files.readAllLines(file, StandardCharsets.UTF_8)));
            lastModified = modified;
            LOG.info("{} {}", modified < 0 ? "missing, so empty:" : "loaded", file);
        } catch (IOException | RuntimeException e) {
            LOG.error("{} could not be read; keeping the previous contents", file, e);
        }
    }

    /** The lines that say something: comments and surrounding blanks removed. */
    private static List<String> lines(List<String> raw) {
        List<String> lines = new ArrayList<>(raw.size());
        for (String line : raw) {
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!text.isEmpty()) {
                lines.add(text);
            }
        }
        return lines;
    }
}
