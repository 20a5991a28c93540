package dev.mailgateway.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.smtpd.SmtpdConstants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block as a route step: the envelope headers, the message's bytes and MailRewrites after it. */
class AddressMapProducerTest {

    @TempDir
    Path dir;
    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    private void start(String senderMap, String recipientMap, boolean headers) throws Exception {
        Path senders = Files.writeString(dir.resolve("sender-map"), senderMap);
        Path recipients = Files.writeString(dir.resolve("recipient-map"), recipientMap);
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("mail-edit:address-map?senderMap=" + senders + "&recipientMap=" + recipients
                        + "&headers=" + headers)
                        .convertBodyTo(byte[].class); // a spilled message's edited copy is gone once the exchange is
            }
        });
        context.start();
    }

    private Message send(String sender, List<String> recipients, Object body) {
        Exchange exchange = context.createProducerTemplate().send("direct:in", e -> {
            e.getMessage().setHeader(SmtpdConstants.QUEUE_ID, "Q1");
            e.getMessage().setHeader(SmtpdConstants.SENDER, sender);
            e.getMessage().setHeader(SmtpdConstants.RECIPIENTS, recipients);
            e.getMessage().setBody(body);
        });
        assertThat(exchange.getException()).isNull();
        return exchange.getMessage();
    }

    private static String text(Message message) {
        return new String(message.getBody(byte[].class), StandardCharsets.UTF_8);
    }

    private static final String MESSAGE = "From: Kim <kim@old.example>\r\nTo: Lee <lee@dest.example>\r\n"
            + "Subject: hello\r\n\r\nbody with kim@old.example in it\r\n";

    @Test
    void theEnvelopeIsRewrittenAndWhatChangedIsListed() throws Exception {
        start("@old.example @new.example\n", "lee@dest.example lee.park@dest.example\n", false);
        Message out = send("kim@old.example", List.of("lee@dest.example", "other@dest.example"),
                MESSAGE.getBytes(StandardCharsets.US_ASCII));
        assertThat(out.getHeader(SmtpdConstants.SENDER)).isEqualTo("kim@new.example");
        assertThat(out.getHeader(SmtpdConstants.RECIPIENTS)).isEqualTo(List.of("lee.park@dest.example",
                "other@dest.example"));
        assertThat(out.getHeader(MailEditConstants.REWRITES)).isEqualTo("sender kim@old.example -> kim@new.example;"
                + " recipient lee@dest.example -> lee.park@dest.example");
        assertThat(text(out)).as("headers=false: the message stays").isEqualTo(MESSAGE);
    }

    @Test
    void withHeadersTheAddressFieldsChangeAndNothingElse() throws Exception {
        start("@old.example @new.example\n", "lee@dest.example lee.park@dest.example\n", true);
        Message out = send("kim@old.example", List.of("lee@dest.example"), MESSAGE.getBytes(StandardCharsets.US_ASCII));
        assertThat(text(out)).isEqualTo(MESSAGE.replace("<kim@old.example>", "<kim@new.example>")
                .replace("<lee@dest.example>", "<lee.park@dest.example>"));
        assertThat(out.getHeader(MailEditConstants.REWRITES)).isEqualTo("sender kim@old.example -> kim@new.example;"
                + " recipient lee@dest.example -> lee.park@dest.example; From: kim@old.example -> kim@new.example;"
                + " To: lee@dest.example -> lee.park@dest.example");
        assertThat(out.getHeader(SmtpdConstants.SIZE, Long.class)).isEqualTo(text(out).length());
    }

    @Test
    void aSpilledMessageIsEditedOnDiskToo() throws Exception {
        start("@old.example @new.example\n", "", true);
        Path spilled = Files.writeString(dir.resolve("spilled.eml"), MESSAGE);
        Message out = send("kim@old.example", List.of("lee@dest.example"), new FileInputStreamCache(spilled.toFile()));
        assertThat(text(out)).isEqualTo(MESSAGE.replace("<kim@old.example>", "<kim@new.example>"));
    }

    @Test
    void theNullSenderStays() throws Exception {
        start("/.*/ never@example.com\n", "", false);
        Message out = send("", List.of("lee@dest.example"), MESSAGE.getBytes(StandardCharsets.US_ASCII));
        assertThat(out.getHeader(SmtpdConstants.SENDER)).isEqualTo("");
        assertThat(out.getHeader(MailEditConstants.REWRITES)).isNull();
    }

    @Test
    void recipientsThatBecomeTheSameMailboxAreOneAndOthersStayInOrder() throws Exception {
        start("", "@alias.example @dest.example\n", false);
        Message out = send("kim@old.example", List.of("lee@alias.example", "LEE@dest.example", "postmaster",
                "lee@DEST.example"), MESSAGE.getBytes(StandardCharsets.US_ASCII));
        // the local part is compared exactly, as MailAddress does; the domain regardless of case
        assertThat(out.getHeader(SmtpdConstants.RECIPIENTS)).isEqualTo(List.of("lee@dest.example",
                "LEE@dest.example", "postmaster"));
    }

    @Test
    void noMapsNothingChanges() throws Exception {
        start("", "# nothing yet\n", true);
        byte[] body = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        Message out = send("kim@old.example", List.of("lee@dest.example"), body);
        assertThat(out.getBody()).isSameAs(body);
        assertThat(out.getHeader(MailEditConstants.REWRITES)).isNull();
    }

    @Test
    void aBadLineStopsTheStartNamingFileAndLine() {
        assertThatThrownBy(() -> start("# ok\n@old.example\n", "", false))
                .hasStackTraceContaining("sender map line 2: nothing to replace \"@old.example\" with ("
                        + dir.resolve("sender-map") + ")");
    }
}
