package dev.mailgateway.filter.content;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Blocked file extensions and MIME types, and executables by content (MZ), found anywhere in the message
 * (nested multiparts, message/rfc822 parts). Archives are judged by their name only (never opened).
 *
 * <p>A part is blocked, for the first of these reasons that applies: its file name's extension (after the last
 * dot, without regard to case, trailing dots and blanks dropped as Windows drops them: {@code report.EXE. } is an
 * exe) is a blocked extension ({@code ATTACHMENT_EXTENSION exe}); its declared type is a blocked type
 * ({@code ATTACHMENT_TYPE application/x-msdownload}); its content starts with {@code MZ}, whatever its name
 * ({@code ATTACHMENT_EXECUTABLE}; see {@link ContentScan.Part#executable()}).
 */
public final class AttachmentPolicy {

    /**
     * Extensions that run code when opened on Windows (programs, scripts, installers, shortcuts, disk images that
     * mount and show what they hold, help files, app packages), and Java archives. No office documents and no
     * archives: blocking those is a site's own decision.
     */
    public static final Set<String> DEFAULT_EXTENSIONS = Set.of(
            // programs and libraries
            "exe", "scr", "com", "pif", "cpl", "dll", "msc", "xll",
            // scripts
            "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "wsh", "wsc", "sct", "hta", "ps1", "reg", "scf",
            // installers and app packages
            "msi", "msp", "mst", "appx", "appxbundle", "msix", "msixbundle", "appinstaller", "application",
            // shortcuts, disk images, help
            "lnk", "iso", "img", "vhd", "vhdx", "chm",
            // Java
            "jar", "jnlp");

    /**
     * The names under which mailers declare executables: Apache's {@code application/x-msdownload}, Debian's
     * {@code application/x-msdos-program} and {@code application/x-msi}, freedesktop's
     * {@code application/x-ms-dos-executable}, libmagic's {@code application/x-dosexec} and
     * {@code application/x-ms-shortcut}, IANA's {@code application/vnd.microsoft.portable-executable}, Windows'
     * {@code application/hta}, and {@code application/x-ms-installer} as seen on the web.
     */
    public static final Set<String> DEFAULT_TYPES = Set.of(
            "application/x-msdownload",
            "application/x-msdos-program",
            "application/x-ms-dos-executable",
            "application/x-dosexec",
            "application/vnd.microsoft.portable-executable",
            "application/x-msi",
            "application/x-ms-installer",
            "application/hta",
            "application/x-ms-shortcut",
            "application/java-archive",
            "application/x-java-archive");

    private static final AttachmentPolicy DEFAULTS = new AttachmentPolicy(DEFAULT_EXTENSIONS, DEFAULT_TYPES);

    private final Set<String> extensions;
    private final Set<String> types;

    /** Extensions without the dot, case-insensitive ({@code exe}); MIME types lower case ({@code application/x-msdownload}). */
    public AttachmentPolicy(Collection<String> blockedExtensions, Collection<String> blockedTypes) {
        this.extensions = blockedExtensions.stream()
                .map(extension -> lowerCase(extension.strip()))
                .map(extension -> extension.startsWith(".") ? extension.substring(1) : extension)
                .filter(extension -> !extension.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.types = blockedTypes.stream()
                .map(type -> lowerCase(type.contains(";") ? type.substring(0, type.indexOf(';')) : type).strip())
                .filter(type -> !type.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@link #DEFAULT_EXTENSIONS} and {@link #DEFAULT_TYPES}. */
    public static AttachmentPolicy defaults() {
        return DEFAULTS;
    }

    /** Every part the policy blocks, in order (empty: the message passes). */
    public List<BlockedAttachment> check(ContentScan scan) {
        List<BlockedAttachment> blocked = null;
        for (ContentScan.Part part : scan.parts()) {
            String reason = reason(part);
            if (reason != null) {
                if (blocked == null) {
                    blocked = new ArrayList<>(2);
                }
                blocked.add(new BlockedAttachment(part.fileName() != null ? part.fileName() : part.mimeType(), reason));
            }
        }
        return blocked == null ? List.of() : List.copyOf(blocked);
    }

    private String reason(ContentScan.Part part) {
        String extension = extension(part.fileName());
        if (extension != null && extensions.contains(extension)) {
            return "ATTACHMENT_EXTENSION " + extension;
        }
        if (types.contains(part.mimeType())) {
            return "ATTACHMENT_TYPE " + part.mimeType();
        }
        if (part.executable()) {
            return "ATTACHMENT_EXECUTABLE";
        }
        return null;
    }

    /** The extension Windows would see, lower case; null if none. */
    static String extension(String fileName) {
        if (fileName == null) {
            return null;
        }
        int end = fileName.length();
        while (end > 0 && (fileName.charAt(end - 1) == '.' || Character.isWhitespace(fileName.charAt(end - 1)))) {
            end--;
        }
        int dot = fileName.lastIndexOf('.', end - 1);
        return dot < 0 || dot == end - 1 ? null : lowerCase(fileName.substring(dot + 1, end));
    }

    private static String lowerCase(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
