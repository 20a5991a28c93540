package dev.mailgateway.edit.address;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.mailgateway.testing.LogLines;
import org.junit.jupiter.api.Test;

/** A map applied as Postfix applies canonical maps: again on its own result, and never to an invalid address. */
class AddressRewriterTest {

    private static AddressRewriter rewriter(String map, boolean utf8) {
        return new AddressRewriter(AddressMap.parse(map, "sender map"), "sender map", utf8, "Q1");
    }

    @Test
    void aResultIsLookedUpAgainUntilNoLineApplies() {
        AddressRewriter rewriter = rewriter("""
                @old.example      @mid.example
                @mid.example      @new.example
                boss@new.example  ceo@example.com
                """, false);
        assertThat(rewriter.rewrite("kim@old.example")).isEqualTo("kim@new.example");
        assertThat(rewriter.rewrite("boss@old.example")).isEqualTo("ceo@example.com");
    }

    @Test
    void anAddressThatMapsOntoItselfStopsAndOneThatOnlyChangesCaseIsChanged() {
        assertThat(rewriter("a@x.example a@x.example\n", false).rewrite("a@x.example")).isNull();
        assertThat(rewriter("a@x.example A@X.example\n", false).rewrite("a@x.example")).isEqualTo("A@X.example");
    }

    @Test
    void nothingForAnAddressNoLineAppliesToNorForTheNullSender() {
        AddressRewriter rewriter = rewriter("@x.example @y.example\n/.*/ any@example.com\n", false);
        assertThat(rewriter.rewrite("")).isNull();
        assertThat(rewriter.rewrite(null)).isNull();
        assertThat(rewriter("@x.example @y.example\n", false).rewrite("a@z.example")).isNull();
        assertThat(rewriter.rewrite("postmaster")).as("not a mailbox: nothing to look up").isNull();
    }

    @Test
    void aLoopLeavesTheAddressAsItWasWithAWarning() {
        try (LogLines log = new LogLines(AddressMap.class.getName())) {
            assertThat(rewriter("a@x.example b@x.example\nb@x.example a@x.example\n", false)
                    .rewrite("a@x.example")).isNull();
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .isEqualTo("Q1: sender map rewrites a@x.example more than 10 times in a row (a loop?); it stays"
                            + " as it was");
        }
    }

    @Test
    void anInvalidResultLeavesTheAddressAsItWasWithAWarningNamingTheLine() {
        try (LogLines log = new LogLines(AddressMap.class.getName())) {
            // line 3 makes a domain with an underscore, which DNS host names cannot have
            assertThat(rewriter("# map\n/^(.*)\\+(.*)@(.*)$/ $1@$3\n/^([a-z]+)@(.*)$/ $1@$2_x \n", false)
                    .rewrite("kim@x.example")).isNull();
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .isEqualTo("Q1: sender map line 3 makes \"kim@x.example_x\" of kim@x.example: not a valid"
                            + " address without SMTPUTF8; it stays as it was");
        }
    }

    @Test
    void aNonAsciiResultNeedsSmtpUtf8() {
        String map = "kim@x.example kïm@x.example\n";
        try (LogLines log = new LogLines(AddressMap.class.getName())) {
            assertThat(rewriter(map, false).rewrite("kim@x.example")).isNull();
            assertThat(log.lines(Level.WARN)).hasSize(1);
        }
        assertThat(rewriter(map, true).rewrite("kim@x.example")).isEqualTo("kïm@x.example");
    }

    @Test
    void aQuotedLocalPartIsKeptAsWritten() {
        assertThat(rewriter("@x.example @y.example\n", false).rewrite("\"Kim Lee\"@x.example"))
                .isEqualTo("\"Kim Lee\"@y.example");
    }
}
