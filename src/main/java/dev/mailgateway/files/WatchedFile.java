package dev.mailgateway.files;

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
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * An operator's rules file (content rules, address maps), parsed and watched: re-read when its modification time
 * or size changes, looked at no more than once a second by whichever thread asks for its contents (no thread of
 * its own, nothing to stop). At start a file that does not parse is an error: a gateway should not start with
 * rules it cannot read. Later, a file that no longer parses keeps what was loaded before and logs the parser's
 * message (which names the line) and the file at ERROR; a file that is gone means the format's absent value.
 *
 * @param <T> what the file parses into
 */
public final class WatchedFile<T> {

    /**
     * What a file holds and how it is read.
     *
     * @param what    how log lines name it ({@code content rules}, {@code sender map})
     * @param parser  the file's text to its value; throws IllegalArgumentException naming the line when it does
     *                not parse
     * @param absent  the value when there is no file
     * @param summary what the info log lines say of a value (its rule names, its size)
     */
    public record Format<T>(String what, Function<String, T> parser, T absent, Function<T, ?> summary) {
    }

    private static final long CHECK_EVERY_MILLIS = 1000;

    private final Path file;
    private final Clock clock;
    private final Logger log;
    private final Format<T> format;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile T value;
    private volatile long checkedAt;
    private Stamp stamp; // guarded by checking
    private long nextReadErrorLog; // guarded by checking

    /**
     * Reads the file now; throws IllegalArgumentException (the parser's message and the file) when it exists and
     * does not parse, UncheckedIOException when it cannot be read.
     *
     * @param log where its reloads and errors are logged: the logger operators look at for this kind of file
     */
    public WatchedFile(Path file, Clock clock, Logger log, Format<T> format) {
        this.file = file;
        this.clock = clock;
        this.log = log;
        this.format = format;
        try {
            Stamp before = Stamp.of(file);
            String text = before == null ? null : read(file);
            this.value = text == null ? format.absent() : parse(format.parser(), text, file);
            this.stamp = text == null ? null : before;
        } catch (IOException e) {
            throw new UncheckedIOException(format.what() + " " + file + " could not be read", e);
        }
        this.checkedAt = clock.millis();
        log.info("{} from {}: {}", format.what(), file, format.summary().apply(value));
    }

    /** The file's text (invalid UTF-8 replaced, not fatal); null if there is no file. */
    public static String read(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The text parsed; the error, if it does not parse, names the file after the parser's message. */
    public static <T> T parse(Function<String, T> parser, String text, Path file) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + file + ")", e);
        }
    }

    /** The contents as the file says now (as of at most a second ago). */
    public T current() {
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
        return value;
    }

    public Path path() {
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
                value = format.absent();
                log.warn("{}: {} is gone, now {}", format.what(), file, format.summary().apply(value));
                return;
            }
            try {
                value = format.parser().apply(text);
                log.info("{} reloaded from {}: {}", format.what(), file, format.summary().apply(value));
            } catch (IllegalArgumentException e) {
                log.error("{} ({}); keeping the rules loaded before", e.getMessage(), file);
            }
        } catch (IOException e) {
            if (now - nextReadErrorLog >= 0) {
                nextReadErrorLog = now + 60_000;
                log.error("{} {} could not be read ({}); keeping the rules loaded before", format.what(), file,
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
