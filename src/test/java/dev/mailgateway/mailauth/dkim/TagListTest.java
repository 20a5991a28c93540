package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Tag=value lists (RFC 6376 §3.2) and the field a signature hashes of itself (§3.7). */
class TagListTest {

    @Test
    void whitespaceAroundTagsAndValuesGoesAndInsideValuesStays() throws DkimException {
        TagList tags = TagList.parse(" v = 1 ;\r\n\th=from : to;b= abc\r\n def ;", 0);

        assertThat(tags.get("v")).isEqualTo("1");
        assertThat(tags.get("h")).isEqualTo("from : to");
        assertThat(tags.get("b")).isEqualTo("abc\r\n def");
        assertThat(TagList.unfolded(tags.get("b"))).isEqualTo("abcdef");
        assertThat(tags.get("x")).isNull();
    }

    @Test
    void tagNamesAreCaseSensitive() throws DkimException {
        assertThat(TagList.parse("V=1", 0).get("v")).isNull();
    }

    @Test
    void emptySpecsAreSkippedAndEmptyValuesKept() throws DkimException {
        TagList tags = TagList.parse("a=1;; ;p=;", 0);

        assertThat(tags.asMap()).containsExactly(java.util.Map.entry("a", "1"), java.util.Map.entry("p", ""));
    }

    @Test
    void malformedListsAreRefused() {
        assertThatThrownBy(() -> TagList.parse("a=1; b", 0)).hasMessageStartingWith("tag without '='");
        assertThatThrownBy(() -> TagList.parse("a=1; a=2", 0)).hasMessage("tag a= given twice");
        assertThatThrownBy(() -> TagList.parse("a b=1", 0)).hasMessageStartingWith("bad tag name");
        assertThatThrownBy(() -> TagList.parse("a=1\u0000", 0)).hasMessage("control character in tag a=");
    }

    @Test
    void signatureHashesItsOwnFieldWithBEmptiedAndNothingElseChanged() throws DkimException {
        String field = "DKIM-Signature: v=1; a=rsa-sha256; b=dGVz\r\n\tdA== ; bh=AAAA;\r\n d=example.test;"
                + " s=sel; h=From";
        DkimSignature signature = DkimSignature.parse(field, 0);

        assertThat(signature.hashedField())
                .isEqualTo("DKIM-Signature: v=1; a=rsa-sha256; b=; bh=AAAA;\r\n d=example.test; s=sel; h=From");
        assertThat(signature.signedHeaders()).containsExactly("from");
        assertThat(signature.result(DkimResult.Result.PASS, false, null).signature()).isEqualTo("dGVzdA==");
    }

    @Test
    void signatureInRelaxedHashesItsOwnFieldCanonicalized() throws DkimException {
        String field = "DKIM-Signature:  v=1; a=ed25519-sha256; c=relaxed/simple; bh=AAAA;\r\n\td=example.test;"
                + " s=sel; h=from:to; b=\r\n\tdGVzdA==";
        DkimSignature signature = DkimSignature.parse(field, 0);

        assertThat(signature.hashedField())
                .isEqualTo("dkim-signature:v=1; a=ed25519-sha256; c=relaxed/simple; bh=AAAA; d=example.test; s=sel;"
                        + " h=from:to; b=");
    }
}
