package dev.mailgateway.filter.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-rules file, watched: re-read when its modification time or size changes, looked at no more than once
 * a second (by whichever thread asks for the rules then). A file that no longer parses keeps the rules loaded
 * before and logs {@code content-rules line N: why} at ERROR; a file that is gone means GTUBE only. Behind
 * {@link ContentRules.Watched}.
 */
final class RulesFile {

    /** Under ContentRules' name: that is where operators (and the tests) look for what the rules say. */
    private static final Logger LOG = LoggerFactory.getLogger(ContentRules.class);
    private static final long CHECK_EVERY_MILLIS = 1000;

    private final Path file;
    private final Clock clock;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile ContentRules rules;
    private volatile long checkedAt;
    private Stamp stamp; // guarded by checking
    private long nextReadErrorLog; // guarded by checking

    /** Throws as {@link ContentRules#load} does when the file exists and does not parse. */
    RulesFile(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        try {
            Stamp before = Stamp.of(file);
            String text = before == null ? null : read(file);
            this.rules = text == null ? ContentRules.builtIn() : parse(text, file);
            this.stamp = text == null ? null : before;
        } catch (IOException e) {
            throw new UncheckedIOException("content rules " + file + " could not be read", e);
        }
        this.checkedAt = clock.millis();
        LOG.info("content rules from {}: {}", file, rules.names());
    }

    /** The file's text (invalid UTF-8 replaced, not fatal); null if there is no file. */
    static String read(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The file's rules; the error, if it does not parse, names the file after the line. */
    static ContentRules parse(String text, Path file) {
        try {
            return ContentRules.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + file + ")", e);
        }
    }

    /** The rules as the file says now (as of at most a second ago). */
    ContentRules current() {
        long now = clock.millis();
        long last = checkedAt;
        if ((now - last >= CHECK_EVERY_MILLIS || now < last) && checking.tryLock()) {
            try {
                if (checkedAt == last) {
                    checkedAt = now;
                    reloadIfChanged(now);
                }
            } finally {
                checking.unlock();
            }
        }
        return rules;
    }

    Path path() {
        return file;
    }

    private void reloadIfChanged(long now) {
        try {
            Stamp seen = Stamp.of(file); // before reading: a change while it is read shows next time
            if (Objects.equals(seen, stamp)) {
                return;
            }
            String text = seen == null ? null : read(file);
            stamp = text == null ? null : seen;
            if (text == null) {
                rules = ContentRules.builtIn();
                LOG.warn("content rules: {} is gone, only GTUBE is left", file);
                return;
            }
            try {
                rules = ContentRules.parse(text);
                LOG.info("content rules reloaded from {}: {}", file, rules.names());
            } catch (IllegalArgumentException e) {
                LOG.error("{} ({}); keeping the rules loaded before", e.getMessage(), file);
            }
        } catch (IOException e) {
            if (now - nextReadErrorLog >= 0) {
                nextReadErrorLog = now + 60_000;
                LOG.error("content rules {} could not be read ({}); keeping the rules loaded before", file,
                        e.toString());
            }
        }
    }

    /** What tells a changed file: its modification time and size. */
    private record Stamp(FileTime modified, long size) {

        /** null when there is no file. */
        static Stamp of(Path file) throws IOException {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.lastModifiedTime(), attributes.size());
            } catch (NoSuchFileException e) {
                return null;
            }
        }
    }
}
