package dev.mailgateway.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Directories only the gateway's user may enter: the data directory, the broker's store, spilled and archived
 * messages, TLS keys. Java cannot set the process umask, so the files that libraries create later (KahaDB's
 * journal, spill files, archived mail) get the umask's 0644: directories at 0700 are what keeps other users out of
 * them. Files left from earlier starts are set to 0600 by {@link #tree}. On a file system without POSIX
 * permissions the directories are only created.
 */
public final class OwnerOnly {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /**
     * The directory at rwx------: created with its missing parents (those at rwx------ too), or an existing one
     * changed. Parents that exist are left alone (one may be /tmp).
     */
    public static Path directory(Path directory) throws IOException {
        if (!posix(directory)) {
            return Files.createDirectories(directory);
        }
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
            Files.setPosixFilePermissions(directory, DIRECTORY);
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(directory); // a mount without POSIX permissions
        }
        return directory;
    }

    /**
     * {@link #directory}, and below it down to {@code depth} levels: directories at rwx------, regular files at
     * rw-------. Symbolic links are neither followed nor changed.
     */
    public static Path tree(Path directory, int depth) throws IOException {
        directory(directory);
        if (!posix(directory)) {
            return directory;
        }
        try (Stream<Path> paths = Files.walk(directory, depth)) {
            for (Iterator<Path> it = paths.iterator(); it.hasNext();) {
                Path path = it.next();
                try {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isDirectory()) {
                        Files.setPosixFilePermissions(path, DIRECTORY);
                    } else if (attributes.isRegularFile()) {
                        Files.setPosixFilePermissions(path, FILE);
                    }
                } catch (NoSuchFileException gone) {
                    // removed meanwhile: nothing to protect
                } catch (UnsupportedOperationException e) {
                    return directory;
                }
            }
        }
        return directory;
    }

    /**
     * A secret (a private key) in a new file readable by its owner only: written under a temporary name (a dot
     * file beside it, rw------- from the start) and moved into place, so nobody else ever reads it and a crash
     * never leaves half of it. An existing file is not replaced ({@link java.nio.file.FileAlreadyExistsException}).
     */
    public static void writeSecret(Path file, byte[] content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temp = posix(directory)
                ? Files.createTempFile(directory, ".tmp-", ".secret", PosixFilePermissions.asFileAttribute(FILE))
                : Files.createTempFile(directory, ".tmp-", ".secret");
        try {
            Files.write(temp, content);
            Files.move(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
