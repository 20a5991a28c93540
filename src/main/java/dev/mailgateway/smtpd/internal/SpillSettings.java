package dev.mailgateway.smtpd.internal;

import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Where large messages go: past {@code threshold} bytes a message is written to a file in {@code directory} by
 * {@code writers}, never by a network thread; each session keeps at most {@code maxPending} bytes waiting for the
 * disk before it stops reading from its client.
 */
public record SpillSettings(Path directory, int threshold, int maxPending, Executor writers) {
}
