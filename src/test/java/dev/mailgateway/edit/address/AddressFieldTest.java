package dev.mailgateway.edit.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Addresses replaced inside a field's raw value, every other byte kept. */
class AddressFieldTest {

    private static final AddressRewriter MAP = new AddressRewriter(AddressMap.parse("""
            alice@example.com                 alice.smith@example.com
            @old.example                      @new.example
            /^([^.@]+)\\.([^.@]+)@corp\\.example$/i   $2.$1@example.com
            "kim lee"@example.com             kim.lee@example.com
            """, "sender map"), "sender map", true, "Q1");

    private final List<String> seen = new ArrayList<>();

    /** The value rewritten with MAP; every address handed to the map is noted in {@link #seen}. */
    private String rewrite(String value) {
        return AddressField.rewrite("To", value, address -> {
            seen.add(address);
            return MAP.rewrite(address);
        });
    }

    @Test
    void aBareAddressIsReplaced() {
        assertThat(rewrite(" alice@example.com")).isEqualTo(" alice.smith@example.com");
    }

    @Test
    void displayNameCommentsAndSpacingStay() {
        assertThat(rewrite(" \"Smith, Alice\" (HR)  <alice@example.com> (work)"))
                .isEqualTo(" \"Smith, Alice\" (HR)  <alice.smith@example.com> (work)");
        assertThat(rewrite(" alice@example.com (Alice <alice@example.com>)"))
                .as("an address in a comment is a comment")
                .isEqualTo(" alice.smith@example.com (Alice <alice@example.com>)");
    }

    @Test
    void anEncodedDisplayNameKeepsItsBytes() {
        String name = "=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?="; // Jürgen Müller
        assertThat(rewrite(" " + name + " <jm@old.example>")).isEqualTo(" " + name + " <jm@new.example>");
    }

    @Test
    void eightBitDisplayNamesSurvive() {
        String raw = latin1(" Jürgen Müller <jm@old.example>");
        assertThat(rewrite(raw)).isEqualTo(latin1(" Jürgen Müller <jm@new.example>"));
    }

    @Test
    void aListWithAGroupAndFoldingHasEachAddressReplacedInPlace() {
        String value = " Team: Carol <carol@old.example>,\r\n\tdan@old.example;, Eve <eve@other.example>,\r\n"
                + " John.Smith@CORP.example";
        assertThat(rewrite(value)).isEqualTo(" Team: Carol <carol@new.example>,\r\n\tdan@new.example;, Eve"
                + " <eve@other.example>,\r\n Smith.John@example.com");
        assertThat(seen).containsExactly("John.Smith@CORP.example", "eve@other.example", "dan@old.example",
                "carol@old.example");
    }

    @Test
    void anEmptyGroupIsLeftAlone() {
        assertThat(rewrite(" undisclosed-recipients:;")).isEqualTo(" undisclosed-recipients:;");
        assertThat(seen).isEmpty();
    }

    @Test
    void quotedLocalPartsAreLookedUpAndKeptAsWritten() {
        assertThat(rewrite(" \"kim lee\"@example.com, \"Lee, Kim\" <\"kim.o'lee\"@old.example>"))
                .isEqualTo(" kim.lee@example.com, \"Lee, Kim\" <\"kim.o'lee\"@new.example>");
        assertThat(rewrite(" \"a@b\"@old.example")).as("an @ inside quotes is the local part's")
                .isEqualTo(" \"a@b\"@new.example");
    }

    @Test
    void anObsoleteRouteStaysAndTheAddressAfterItIsReplaced() {
        assertThat(rewrite(" <@relay.example:alice@example.com>"))
                .isEqualTo(" <@relay.example:alice.smith@example.com>");
    }

    @Test
    void aFieldThatIsNotAnAddressListIsLeftAsItIs() {
        for (String broken : List.of(" alice@example.com@x", " <alice@example.com", " Alice <alice@example.com",
                " (unclosed alice@example.com", " \"unclosed alice@example.com", " a@b.example; alice@example.com",
                " <>", " alice@example.com>")) {
            assertThat(rewrite(broken)).as(broken).isSameAs(broken);
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void nothingToReplaceGivesTheSameValueBack() {
        String value = " Bob <bob@elsewhere.example>";
        assertThat(rewrite(value)).isSameAs(value);
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
