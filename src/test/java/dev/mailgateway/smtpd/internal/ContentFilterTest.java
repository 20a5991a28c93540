package dev.mailgateway.smtpd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content filter's state machine, fed the same bytes cut at every possible place: the network may split a
 * CRLF, a dot or the end of data anywhere, and the outcome must not depend on where. Its sink spills to disk
 * after a few bytes, so both the memory and the file paths are in every run.
 */
class ContentFilterTest {

    @TempDir
    static Path spillDirectory;

    private record Outcome(boolean ended, String content, boolean bare, boolean tooBig, int rest) {
    }

    private static Outcome read(String data, int[] cuts, BareLineEndings mode, long maxSize) {
        return read(data, cuts, mode, maxSize, true);
    }

    private static Outcome read(String data, int[] cuts, BareLineEndings mode, long maxSize, boolean dotStuffed) {
        MessageSink sink = new MessageSink(new SpillSettings(spillDirectory, 7, 1 << 20, Runnable::run));
        ContentFilter reader = new ContentFilter(sink, maxSize, mode, dotStuffed);
        byte[] bytes = data.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf in = Unpooled.buffer();
        int from = 0;
        boolean ended = false;
        for (int i = 0; i <= cuts.length && !ended; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            in.writeBytes(bytes, from, to - from);
            from = to;
            ended = reader.consume(in);
        }
        if (!dotStuffed) {
            reader.endOfChunks();
        }
        in.writeBytes(bytes, from, bytes.length - from);
        // what is kept of a message over the limit is thrown away, so it is not compared
        MessageContent stored = sink.finish().join();
        String content = reader.isTooBig() ? null : new String(stored.toByteArray(), StandardCharsets.ISO_8859_1);
        stored.release();
        return new Outcome(ended, content, reader.hadBareLineEnding(), reader.isTooBig(), in.readableBytes());
    }

    /** The outcome for the whole input at once, checked against every two-piece cut and a byte-by-byte feed. */
    private static Outcome readEveryWay(String data, BareLineEndings mode, long maxSize) {
        Outcome whole = read(data, new int[0], mode, maxSize);
        for (int cut = 0; cut <= data.length(); cut++) {
            assertThat(read(data, new int[] {cut}, mode, maxSize)).as("cut at %d", cut).isEqualTo(whole);
        }
        int[] everyByte = new int[data.length()];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i;
        }
        assertThat(read(data, everyByte, mode, maxSize)).as("byte by byte").isEqualTo(whole);
        return whole;
    }

    @Test
    void endsAtCrlfDotCrlfAndLeavesWhatFollows() {
        Outcome o = readEveryWay("a\r\nb\r\n.\r\nNEXT", BareLineEndings.REJECT, 1000);
        assertThat(o).isEqualTo(new Outcome(true, "a\r\nb\r\n", false, false, 4));
    }

    @Test
    void aDotAtTheVeryStartEndsAnEmptyMessage() {
        assertThat(readEveryWay(".\r\n", BareLineEndings.REJECT, 1000)).isEqualTo(new Outcome(true, "", false, false, 0));
    }

    @Test
    void removesOneLeadingDot() {
        Outcome o = readEveryWay("..\r\n.x\r\n...y\r\nz.\r\n.\r\n", BareLineEndings.REJECT, 1000);
        assertThat(o).isEqualTo(new Outcome(true, ".\r\nx\r\n..y\r\nz.\r\n", false, false, 0));
    }

    @Test
    void bareLfAndCrAreNotedAndNeverEndTheData() {
        for (String data : new String[] {"a\n.\n", "a\n.\r\n", "a\r\n.\n", "a\r.\r", "a\r\n.\r", "a\r.\r\n"}) {
            Outcome o = readEveryWay(data + "more\r\n.\r\n", BareLineEndings.REJECT, 1000);
            assertThat(o.ended()).as(data).isTrue();
            assertThat(o.bare()).as(data).isTrue();
            assertThat(o.rest()).as(data).isZero();
        }
    }

    @Test
    void normalizeTurnsBareEndingsIntoCrlfAndKeepsLoneDots() {
        // ".<LF>" and the ".<CR><LF>" after it are lines of content; only the last CRLF.CRLF ends the data
        assertThat(readEveryWay("a\nb\rc\r\n.\n.\r\n.\r\n", BareLineEndings.NORMALIZE, 1000))
                .isEqualTo(new Outcome(true, "a\r\nb\r\nc\r\n.\r\n.\r\n", true, false, 0));
        assertThat(readEveryWay("a\n.\r\n.\r\n", BareLineEndings.NORMALIZE, 1000))
                .isEqualTo(new Outcome(true, "a\r\n.\r\n", true, false, 0));
    }

    @Test
    void overTheLimitIsReadToTheEnd() {
        Outcome o = readEveryWay("0123456789\r\n0123456789\r\n.\r\nX", BareLineEndings.REJECT, 15);
        assertThat(o.ended()).isTrue();
        assertThat(o.tooBig()).isTrue();
        assertThat(o.rest()).isEqualTo(1);
    }

    @Test
    void exactlyAtTheLimitIsKept() {
        Outcome o = readEveryWay("0123456789\r\n.\r\n", BareLineEndings.REJECT, 12);
        assertThat(o).isEqualTo(new Outcome(true, "0123456789\r\n", false, false, 0));
    }

    @Test
    void chunkedContentHasNoDotsAndNoEndMarker() {
        Outcome o = read("a\r\n.\r\n..b\r\n", new int[] {3, 4, 9}, BareLineEndings.REJECT, 1000, false);
        assertThat(o).isEqualTo(new Outcome(false, "a\r\n.\r\n..b\r\n", false, false, 0));
    }

    @Test
    void chunkedContentEndingInACrHasABareCr() {
        Outcome o = read("a\r\nb\r", new int[] {5}, BareLineEndings.REJECT, 1000, false);
        assertThat(o.bare()).isTrue();
        Outcome split = read("a\r\nb\r", new int[] {4}, BareLineEndings.NORMALIZE, 1000, false);
        assertThat(split.content()).isEqualTo("a\r\nb\r\n");
    }
}
