package dev.mailgateway.filter;

import dev.mailgateway.filter.content.ContentScan;
import dev.mailgateway.filter.content.ContentScanner;
import dev.mailgateway.mail.MessageBytes;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.MessageHelper;

/**
 * The message's content scan, made once per exchange and shared by the blocks that read it (rules, attachments):
 * one streaming pass over the message, not one per block. A step that changed the body in between makes it scan
 * again.
 */
final class ContentScans {

    private static final String SCANNED = "MailContentScan";

    private record Kept(Object body, ContentScan scan) {
    }

    private ContentScans() {
    }

    static ContentScan of(Exchange exchange, ContentScanner scanner) throws IOException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        Kept kept = exchange.getProperty(SCANNED, Kept.class);
        if (kept != null && kept.body() == body) {
            return kept.scan();
        }
        ContentScan scan;
        try (InputStream in = MessageBytes.open(message)) {
            scan = scanner.scan(in);
        } finally {
            MessageHelper.resetStreamCache(message);
        }
        exchange.setProperty(SCANNED, new Kept(body, scan));
        return scan;
    }
}
