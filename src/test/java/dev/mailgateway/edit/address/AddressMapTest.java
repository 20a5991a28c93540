package dev.mailgateway.edit.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.mail.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The map file's lines, one kind after another, and Postfix's lookup order. */
class AddressMapTest {

    private static final String MAP = """
            # sender map for the tests

            alice@example.com          alice.smith@example.com
            "john q"@example.com       john.q@example.com
            @old.example               @new.example
            @legacy.example            archive@example.com
            Bob@Legacy.Example         bob@example.com
            /^([^.]+)\\.([^.@]+)@corp\\.example$/i   ${2}_$1@example.com
            /^(.+)@(.+)\\.internal$/   $1@$2.example
            /@legacy\\.example$/        never@example.com
            """;

    private static String find(AddressMap map, String address) {
        AddressMap.Found found = map.find(MailAddress.parse(address, true));
        return found == null ? null : found.replacement() + " (line " + found.line() + ")";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice@example.com          | alice.smith@example.com (line 3)",
            "ALICE@EXAMPLE.COM          | alice.smith@example.com (line 3)",
            "\"john q\"@example.com     | john.q@example.com (line 4)",
            "Carol.Jones@old.example    | Carol.Jones@new.example (line 5)",
            "carol@OLD.example          | carol@new.example (line 5)",
            "\"a b\"@old.example        | \"a b\"@new.example (line 5)",
            "anyone@legacy.example      | archive@example.com (line 6)",
            "bob@legacy.example         | bob@example.com (line 7)",
            "John.Smith@corp.example    | Smith_John@example.com (line 8)",
            "john.smith@CORP.EXAMPLE    | smith_john@example.com (line 8)",
            "svc@build.internal         | svc@build.example (line 9)",
    })
    void eachKindOfLine(String address, String expected) {
        assertThat(find(AddressMap.parse(MAP, "sender map"), address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"bob@example.com", "alice@sub.example.com", "alice@example.com.evil", "x@new.example",
            "john.smith@corp.example.org"})
    void addressesNoLineAppliesToAreNotFound(String address) {
        assertThat(find(AddressMap.parse(MAP, "sender map"), address)).isNull();
    }

    @Test
    void anExactAddressWinsOverItsDomainAndADomainOverTheRegexesWhateverTheFileOrder() {
        AddressMap map = AddressMap.parse("""
                /x\\.example$/      regex@example.com
                @x.example          domain@example.com
                a@x.example         exact@example.com
                """, "recipient map");
        assertThat(find(map, "a@x.example")).isEqualTo("exact@example.com (line 3)");
        assertThat(find(map, "b@x.example")).isEqualTo("domain@example.com (line 2)");
        assertThat(find(map, "b@sub.x.example")).as("@domain is that domain, not its subdomains")
                .isEqualTo("regex@example.com (line 1)");
    }

    @Test
    void regexesAreTriedInFileOrder() {
        AddressMap map = AddressMap.parse("""
                /^admin@/      first@example.com
                /example$/     second@example.com
                """, "recipient map");
        assertThat(find(map, "admin@x.example")).isEqualTo("first@example.com (line 1)");
        assertThat(find(map, "user@x.example")).isEqualTo("second@example.com (line 2)");
    }

    @Test
    void aRegexIsCaseSensitiveWithoutTheFlag() {
        AddressMap map = AddressMap.parse("/^Admin@/ a@example.com\n", "sender map");
        assertThat(find(map, "Admin@x.example")).isEqualTo("a@example.com (line 1)");
        assertThat(find(map, "admin@x.example")).isNull();
    }

    @Test
    void aGroupThatTookNoPartIsEmptyAndTwoDollarsAreOne() {
        AddressMap map = AddressMap.parse("/^(a)?(b)@(.*)$/ $1x$2$$@$3\n", "sender map");
        assertThat(find(map, "b@example.com")).isEqualTo("xb$@example.com (line 1)");
        assertThat(find(map, "ab@example.com")).isEqualTo("axb$@example.com (line 1)");
    }

    @Test
    void aRegexResultOfTheFormAtDomainKeepsTheLocalPart() {
        AddressMap map = AddressMap.parse("/@(.*)\\.old$/ @$1.new\n", "sender map");
        assertThat(find(map, "Kim@shop.old")).isEqualTo("Kim@shop.new (line 1)");
    }

    @Test
    void commentsBlankLinesAndCrLfAreFine() {
        AddressMap map = AddressMap.parse("# one\r\n\r\n   # indented comment\r\n\ta@x.example\tb@x.example\r\n",
                "sender map");
        assertThat(find(map, "a@x.example")).isEqualTo("b@x.example (line 4)");
    }

    @Test
    void theReadmeExampleReadsAsItSays() {
        AddressMap map = AddressMap.parse("""
                # one address
                alice@example.com                        alice.smith@example.com
                # a domain, the local part kept; a domain to one address
                @old.example                             @new.example
                @legacy.example                          archive@example.com
                # a Java regex on the whole address
                /^([^.@]+)\\.([^.@]+)@corp\\.example$/i    $2.$1@example.com
                """, "sender map");
        assertThat(find(map, "Kim.Lee@Corp.Example")).isEqualTo("Lee.Kim@example.com (line 7)");
        assertThat(find(map, "kim@legacy.example")).isEqualTo("archive@example.com (line 5)");
    }

    @Test
    void anEmptyFileIsAnEmptyMap() {
        assertThat(AddressMap.parse("# nothing yet\n", "sender map").isEmpty()).isTrue();
        assertThat(AddressMap.EMPTY.find(MailAddress.parse("a@x.example", false))).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a@x.example                      | sender map line 3: nothing to replace \"a@x.example\" with",
            "a@x.example b@x.example c@x.ex   | sender map line 3: one replacement a line: \"c@x.ex\" is one too"
                    + " many",
            "not-an-address b@x.example       | sender map line 3: \"not-an-address\" is not an address, @domain"
                    + " or /regex/",
            "@bad..domain @x.example          | sender map line 3: \"@bad..domain\" is not an @domain",
            "a@x.example @                    | sender map line 3: the replacement \"@\" is not an address or @domain",
            "a@x.example b@                   | sender map line 3: the replacement \"b@\" is not an address or @domain",
            "/^a@x/ b c                       | sender map line 3: one replacement a line: \"c\" is one too many",
            "/^a@x b@x.example                | sender map line 3: the regex has no closing /",
            "/^a@x/g b@x.example              | sender map line 3: the only regex flag is i (regardless of case),"
                    + " not \"g\"",
            "/^(a@x/ b@x.example              | sender map line 3: the regex does not compile: Unclosed group near"
                    + " index 5",
            "/^(a)@(x)$/ $1@$3.example        | sender map line 3: $3 but the regex has 2 groups",
            "/^(a)@x$/ $1@${x}.example        | sender map line 3: $ stands for a group ($1, ${1}) or a dollar"
                    + " sign ($$)",
            "/^a@x$/ $1@x.example             | sender map line 3: $1 but the regex has 0 groups",
            "A@X.example z@x.example          | sender map line 3: \"A@X.example\" is on line 2 already",
    })
    void aBadLineIsRefusedWithItsNumber(String line, String message) {
        assertThatThrownBy(() -> AddressMap.parse("# map\na@x.example b@x.example\n" + line + "\n", "sender map"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void aDomainTwiceIsRefusedToo() {
        assertThatThrownBy(() -> AddressMap.parse("@x.example @y.example\n\n@X.EXAMPLE @z.example\n",
                "recipient map")).hasMessage("recipient map line 3: \"@X.EXAMPLE\" is on line 1 already");
    }
}
