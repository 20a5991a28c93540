package dev.mailgateway.relay;

import dev.mailgateway.mail.Postmaster;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.files.MessageFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Mail for this gateway's postmaster ({@code <postmaster>}, {@code postmaster@<hostname>}; RFC 5321 §4.5.1 says
 * we must take it) when no {@code gateway.postmaster} address receives it: kept as {@code <queue-id>.eml} in a
 * directory, durably, as local delivery. Never looked up by MX (that MX is ourselves), never bounced: a file that
 * cannot be written is tried again later.
 */
final class PostmasterBox {

    private final Postmaster postmaster;
    private final Path directory;

    PostmasterBox(String hostname, Path directory) {
        this.postmaster = new Postmaster(hostname);
        this.directory = directory;
    }

    boolean isFor(MailAddress recipient) {
        return postmaster.is(recipient);
    }

    List<RecipientOutcome> deliver(RelayMessage message, List<MailAddress> recipients) {
        RemoteReply reply;
        try {
            Path file = MessageFiles.writeOnce(directory, message.queueId(), new ByteArrayInputStream(message.content()));
            reply = new RemoteReply(250, "2.0.0", "kept for the postmaster as " + file);
        } catch (IOException | RuntimeException e) {
            reply = new RemoteReply(451, "4.3.0", "cannot keep mail for the postmaster in " + directory + ": " + e);
        }
        RemoteReply outcome = reply;
        return recipients.stream().map(r -> RecipientOutcome.of(r, null, outcome)).toList();
    }
}
