package dev.mailgateway.smtpd.internal.command;

import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.smtpd.internal.Replies;
import dev.mailgateway.smtpd.internal.SmtpSession;

/**
 * BDAT size [LAST] (RFC 3030 CHUNKING): the next size bytes are message content. A chunk that cannot be taken is
 * still read to its end, or its bytes would be taken for commands; a command line that gives no size cannot be
 * resynchronised, so the session ends.
 */
final class BdatCommand implements SmtpCommand {

    @Override
    public void execute(SmtpSession session, String argument) {
        String[] words = argument.strip().split(" +");
        long size = words[0].matches("\\d{1,18}") ? Long.parseLong(words[0]) : -1;
        boolean last = words.length == 2 && words[1].equalsIgnoreCase("LAST");
        if (size < 0 || words.length > 2 || (words.length == 2 && !last)) {
            session.replyAndClose(Replies.CHUNK_SYNTAX);
            return;
        }
        session.startChunk(size, last, refusal(session));
    }

    private static SmtpReply refusal(SmtpSession session) {
        if (!session.hasTransaction()) {
            return Replies.NEED_MAIL;
        }
        if (session.recipientCount() == 0) {
            return session.wasRecipientTried() ? Replies.NO_VALID_RECIPIENTS : Replies.NEED_RCPT;
        }
        return null;
    }
}
