package dev.mailgateway.filter.content;

import static dev.mailgateway.filter.content.Mail.base64;
import static dev.mailgateway.filter.content.Mail.scan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mailgateway.testing.LogLines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentRulesTest {

    private static final String GTUBE = ContentRules.GTUBE;

    @TempDir
    Path dir;

    @Test
    void aHeaderRegexWithFlagsMatchesTheNamedField() {
        ContentRules rules = ContentRules.parse("""
                LOTTERY_SUBJECT     4.5    header:Subject   /you (have )?won .*lottery/i
                """);

        assertThat(rules.match(scan("Subject: YOU HAVE WON the national LOTTERY\n\nhi\n")))
                .containsExactly(new RuleMatch("LOTTERY_SUBJECT", 4.5));
        assertThat(rules.match(scan("Subject: you won nothing\n\nthe lottery\n"))).isEmpty();
        assertThat(rules.match(scan("X-Subject: you won the lottery\n\nhi\n"))).isEmpty();
    }

    @Test
    void aHeaderPhraseMatchesAnyRunOfWhiteSpaceWithoutRegardToCaseAndANegativeScoreStays() {
        ContentRules rules = ContentRules.parse("""
                SELF_WHITELIST     -2      header:X-Mailer  "Our   CRM 2.1"
                """);

        assertThat(rules.match(scan("X-Mailer: our crm\t  2.1 (build 7)\n\nhi\n")))
                .containsExactly(new RuleMatch("SELF_WHITELIST", -2));
        assertThat(rules.match(scan("X-Mailer: Our CRM 2x1\n\nhi\n"))).as("a phrase is literal, . is a dot").isEmpty();
        assertThat(rules.match(scan("X-Mailer: OurCRM 2.1\n\nhi\n"))).isEmpty();
    }

    @Test
    void aHeaderRuleLooksAtEveryFieldOfThatNameAnyCaseAndHitsOnce() {
        ContentRules rules = ContentRules.parse("""
                BAD_HOP  2  header:received  /from evil\\.example/
                """);

        assertThat(rules.match(scan("""
                Received: from good.example by mx
                RECEIVED: from evil.example by good.example
                Received: from evil.example by evil.example

                hi
                """))).containsExactly(new RuleMatch("BAD_HOP", 2));
    }

    @Test
    void headerStarMatchesEveryFieldAsNameColonValue() {
        ContentRules rules = ContentRules.parse("""
                BADCORP_ANYWHERE  5  header:*  /^Reply-To: .*@badcorp\\.example\\b/i
                EMPTY_FIELD       1  header:*  /^X-Empty: $/
                """);

        assertThat(rules.match(scan("""
                From: someone@example.com
                reply-to: Sales <sales@BADCORP.example>
                X-Empty:

                hi
                """))).containsExactly(new RuleMatch("BADCORP_ANYWHERE", 5), new RuleMatch("EMPTY_FIELD", 1));
        assertThat(rules.match(scan("From: sales@badcorp.example\n\nReply-To: x@badcorp.example\n"))).isEmpty();
    }

    @Test
    void aFromRuleMatchesWithAnEscapedSlashAndAWordBoundary() {
        ContentRules rules = ContentRules.parse("""
                BADCORP_FROM        10     header:From      /@badcorp\\.example\\b/
                EVIL_LINK           3      body             /https?:\\/\\/evil\\.example\\//
                """);

        assertThat(rules.match(scan("From: x@badcorp.example\n\nsee https://evil.example/login\n")))
                .containsExactly(new RuleMatch("BADCORP_FROM", 10), new RuleMatch("EVIL_LINK", 3));
        assertThat(rules.match(scan("From: x@badcorp.examples\n\nsee https://evil.example.org/\n"))).isEmpty();
    }

    @Test
    void aBodyRegexSeesTheDecodedTextWithMultilineAndDotallFlags() {
        ContentRules rules = ContentRules.parse("""
                CLICK_LINE   1.5   body   /^click here$/m
                SPANS_LINES  2     body   /unsubscribe.*now/s
                NO_DOTALL    1     body   /unsubscribe.*now/
                """);

        assertThat(rules.match(scan("Subject: x\n\nhello\nclick here\nto unsubscribe\nnow\n")))
                .containsExactly(new RuleMatch("CLICK_LINE", 1.5), new RuleMatch("SPANS_LINES", 2));
    }

    @Test
    void aBodyPhraseMatchesAcrossLineBreaksAndCase() {
        ContentRules rules = ContentRules.parse("""
                CASINO_PHRASE       3      body             "online casino"
                """);

        assertThat(rules.match(scan("Subject: x\n\nvisit our online\n   CASINO today\n")))
                .containsExactly(new RuleMatch("CASINO_PHRASE", 3));
        assertThat(rules.match(scan("Subject: online casino\n\nnothing here\n"))).isEmpty();
    }

    @Test
    void anEncodedWordSubjectIsMatchedDecoded() {
        ContentRules rules = ContentRules.parse("""
                PRIZE_DE   2.5   header:Subject   "gewinnspiel für sie"
                """);

        assertThat(rules.match(scan("Subject: =?UTF-8?B?R2V3aW5uc3BpZWwgRsOcUg==?= =?UTF-8?Q?_Sie!?=\n\nhi\n")))
                .containsExactly(new RuleMatch("PRIZE_DE", 2.5));
    }

    @Test
    void textInBase64AndQuotedPrintableAndHtmlPartsIsMatchedDecoded() {
        ContentRules rules = ContentRules.parse("""
                IN_BASE64   1   body   "cheap pills"
                IN_QP       1   body   "très bon marché"
                IN_HTML     1   body   /<a href="https?:\\/\\/pills\\.example/i
                """);

        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: base64

                """ + base64("Buy cheap\r\npills now") + """
                --b
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                C'est tr=E8s bon =
                march=E9!
                --b
                Content-Type: text/html

                <p><A HREF="https://pills.example/">order</A></p>
                --b--
                """);

        assertThat(rules.match(scan)).extracting(RuleMatch::name).containsExactly("IN_BASE64", "IN_QP", "IN_HTML");
    }

    @Test
    void gtubeInThePlainBodyHitsWithItsScoreFirst() {
        ContentRules rules = ContentRules.parse("""
                CASINO_PHRASE  3  body  "online casino"
                """);

        assertThat(rules.match(scan("Subject: test\n\nonline casino\n" + GTUBE + "\n")))
                .containsExactly(new RuleMatch("GTUBE", 1000), new RuleMatch("CASINO_PHRASE", 3));
        assertThat(ContentRules.builtIn().match(scan("Subject: " + GTUBE + "\n\nnot in the body\n"))).isEmpty();
    }

    @Test
    void gtubeInABase64PartHits() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain
                Content-Transfer-Encoding: base64

                """ + base64("This is the GTUBE, the\r\n\r\n" + GTUBE + "\r\n") + """
                --b--
                """);

        assertThat(ContentRules.builtIn().match(scan)).containsExactly(new RuleMatch("GTUBE", 1000));
    }

    @Test
    void eachRuleHitsAtMostOnceInFileOrder() {
        ContentRules rules = ContentRules.parse("""
                B_SECOND  1  body  /spam/
                A_FIRST   2  header:Subject  /spam/
                """);

        assertThat(rules.match(scan("Subject: spam spam\nSubject: more spam\n\nspam spam spam\n")))
                .containsExactly(new RuleMatch("B_SECOND", 1), new RuleMatch("A_FIRST", 2));
        assertThat(rules.names()).containsExactly("GTUBE", "B_SECOND", "A_FIRST");
    }

    @Test
    void commentsBlankLinesCrlfAndAByteOrderMarkAreFine() {
        ContentRules rules = ContentRules.parse("\ufeff# a comment\r\n\r\n   # indented comment\r\n"
                + "\tTABS\t+1.25\tbody\t\"a # is no comment here\"   \r\n");

        assertThat(rules.names()).containsExactly("GTUBE", "TABS");
        assertThat(rules.match(scan("Subject: x\n\nsay a # is no comment here\n")))
                .containsExactly(new RuleMatch("TABS", 1.25));
    }

    @Test
    void aLineThatDoesNotParseIsNamedWithWhy() {
        assertError("# ok\nGOOD 1 body /x/\nBAD-NAME 1 body /x/\n", "content-rules line 3: a rule name is");
        assertError("ONLY_THREE 1 body\n", "content-rules line 1: expected NAME SCORE WHERE MATCH");
        assertError("\n\nX 1 body /a/\nX 2 body /b/\n", "content-rules line 4: rule X is named twice");
        assertError("GTUBE 1 body /a/\n", "content-rules line 1: GTUBE is the built-in rule's name");
        assertError("X ten body /a/\n", "content-rules line 1: the score is a decimal number");
        assertError("X 1e3 body /a/\n", "content-rules line 1: the score is a decimal number");
        assertError("X 1 subject /a/\n", "content-rules line 1: WHERE is body, header:Field-Name or header:*");
        assertError("X 1 header: /a/\n", "content-rules line 1: WHERE is body, header:Field-Name or header:*");
        assertError("X 1 header:Sub:ject /a/\n", "content-rules line 1: WHERE is body");
        assertError("X 1 body spam\n", "content-rules line 1: MATCH is /regex/flags or \"phrase\"");
        assertError("X 1 body /unclosed\n", "content-rules line 1: the regex has no closing /");
        assertError("X 1 body /ends in escape\\/\n", "content-rules line 1: the regex has no closing /");
        assertError("X 1 body //\n", "content-rules line 1: the regex is empty");
        assertError("X 1 body /a/x\n", "content-rules line 1: regex flags are i, m and s, not \"x\"");
        assertError("X 1 body /a/i # comment\n", "content-rules line 1: regex flags are i, m and s");
        assertError("X 1 body /a(b/\n", "content-rules line 1: invalid regex: Unclosed group");
        assertError("X 1 body \"unclosed\n", "content-rules line 1: the phrase has no closing \"");
        assertError("X 1 body \"  \"\n", "content-rules line 1: the phrase is empty");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> ContentRules.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aCatastrophicRegexGivesUpQuicklyDoesNotHitAndIsLoggedOnce() {
        ContentRules rules = ContentRules.parse("""
                EVIL_REGEX   5   body   /(a+)+$/
                AFTER_IT     1   body   "aaab"
                """);
        ContentScan scan = scan("Subject: x\n\n" + "a".repeat(5000) + "b\n");

        try (LogLines log = new LogLines(ContentRules.class.getName())) {
            long start = System.nanoTime();
            assertThat(rules.match(scan)).containsExactly(new RuleMatch("AFTER_IT", 1));
            assertThat(rules.match(scan)).containsExactly(new RuleMatch("AFTER_IT", 1));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(millis).isLessThan(5000);
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .contains("content rule EVIL_REGEX gave up on a message").contains("did not hit");
        }
    }

    @Test
    void aRegexThatRecursesTooDeepDoesNotHitAndDoesNotFail() {
        ContentRules rules = ContentRules.parse("""
                DEEP   5   body   /(a|b)*c/
                """);

        assertThat(rules.match(scan("Subject: x\n\n" + "ab".repeat(150_000) + "\n"))).isEmpty();
    }

    @Test
    void anAbsentFileIsGtubeOnlyAndABrokenFileIsAnErrorNamingLineAndFile() throws Exception {
        assertThat(ContentRules.load(dir.resolve("none")).names()).containsExactly("GTUBE");

        Path file = dir.resolve("content-rules");
        Files.writeString(file, "# rules\nOK 1 body /x/\nBROKEN 1 body\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ContentRules.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("content-rules line 3: expected NAME SCORE WHERE MATCH")
                .hasMessageContaining(file.toString());

        Files.writeString(file, "# rules\nOK 1 body /x/\n", StandardCharsets.UTF_8);
        assertThat(ContentRules.load(file).names()).containsExactly("GTUBE", "OK");
    }

    @Test
    void theShippedExampleFileParsesToGtubeOnly() {
        assertThat(ContentRules.load(Path.of("config/content-rules")).names()).containsExactly("GTUBE");
    }
}
