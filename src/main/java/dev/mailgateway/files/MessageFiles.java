package dev.mailgateway.files;

import dev.mailgateway.mail.QueueId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages kept as files, {@code <queue-id>.eml}, byte for byte, durable before the caller goes on: written under
 * a temporary name, fsynced, renamed, and the directory fsynced, so a crash leaves either the whole file or none.
 * (Camel's file producer does not fsync in Camel 4, whatever its forceWrites option says.)
 */
public final class MessageFiles {

    private static final Set<Path> PREPARED = ConcurrentHashMap.newKeySet();

    private MessageFiles() {
    }

    /**
     * Writes the message unless its file is there already: a message is written again only when the step that
     * wrote it was redelivered (a crash or rollback after the write), and then the file is already whole.
     *
     * @return the file
     */
    public static Path writeOnce(Path directory, String queueId, InputStream content) throws IOException {
        return writeOnce(directory, queueId, ".eml", content);
    }

    /**
     * {@link #writeOnce(Path, String, InputStream)} for {@code <queue-id><suffix>}, e.g. the {@code .json} beside
     * an archived message. Directories it creates are made durable too (their parents fsynced), so a file in a new
     * directory survives a crash as well as one in an old directory.
     */
    public static Path writeOnce(Path directory, String queueId, String suffix, InputStream content)
            throws IOException {
        if (!QueueId.isValid(queueId)) {
            throw new IllegalArgumentException("not a queue id, refusing it as a file name: " + queueId);
        }
        // owner-only once per directory (and again if it went away), not a mkdir and a chmod for every message
        if (PREPARED.add(directory.toAbsolutePath()) || !Files.isDirectory(directory)) {
            prepare(directory);
        }
        Path target = directory.resolve(queueId + suffix);
        if (Files.exists(target)) {
            return target;
        }
        Path temp = directory.resolve(".tmp-" + queueId + suffix);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = Channels.newOutputStream(channel)) {
                content.transferTo(out);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        sync(directory); // the rename itself must survive a crash
        return target;
    }

    /** Creates the directory owner-only; the ones it had to create are synced into their parents. */
    private static void prepare(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        OwnerOnly.directory(directory);
        for (Path created = absolute; existing != null && !created.equals(existing); created = created.getParent()) {
            sync(created.getParent());
        }
    }

    private static void sync(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
