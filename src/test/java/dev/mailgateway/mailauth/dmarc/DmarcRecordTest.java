package dev.mailgateway.mailauth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.mailauth.dmarc.DmarcResult.Policy;
import org.junit.jupiter.api.Test;

/** DMARC policy records (RFC 7489 §6.3, §6.6.3) as text. */
class DmarcRecordTest {

    @Test
    void tagsAreReadWithDefaultsForTheAbsentOnes() {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=reject");
        assertThat(record.policy()).isEqualTo(Policy.REJECT);
        assertThat(record.subdomainPolicy()).isNull();
        assertThat(record.percent()).isEqualTo(100);
        assertThat(record.strictDkim()).isFalse();
        assertThat(record.strictSpf()).isFalse();
        assertThat(record.problem()).isNull();

        DmarcRecord full = DmarcRecord.parse(
                "v=DMARC1 ;  P = Quarantine ; sp=none; pct=25; adkim=s; aspf=S; rua=mailto:d@example.test; x=unknown;");
        assertThat(full.policy()).isEqualTo(Policy.QUARANTINE);
        assertThat(full.subdomainPolicy()).isEqualTo(Policy.NONE);
        assertThat(full.percent()).isEqualTo(25);
        assertThat(full.strictDkim()).isTrue();
        assertThat(full.strictSpf()).isTrue();
    }

    @Test
    void onlyTextStartingWithVersionTagIsADmarcRecord() {
        assertThat(DmarcRecord.parse("p=reject; v=DMARC1")).isNull();
        assertThat(DmarcRecord.parse("v=spf1 -all")).isNull();
        assertThat(DmarcRecord.parse("v=dmarc1; p=reject")).isNull(); // "DMARC1" is case-sensitive in the ABNF
        assertThat(DmarcRecord.parse("v=DMARC2; p=reject")).isNull();
        assertThat(DmarcRecord.parse("")).isNull();
        assertThat(DmarcRecord.parse("v=DMARC1")).isNotNull();
    }

    @Test
    void badOrMissingPolicyIsNoneWithReportAddressElseUnusable() {
        DmarcRecord withRua = DmarcRecord.parse("v=DMARC1; p=bogus; rua=mailto:dmarc@example.test!10m");
        assertThat(withRua.usable()).isTrue();
        assertThat(withRua.policy()).isEqualTo(Policy.NONE);
        assertThat(withRua.problem()).contains("invalid p=");

        assertThat(DmarcRecord.parse("v=DMARC1; p=bogus").usable()).isFalse();
        assertThat(DmarcRecord.parse("v=DMARC1; rua=mailto:dmarc@example.test").policy()).isEqualTo(Policy.NONE);
        assertThat(DmarcRecord.parse("v=DMARC1").usable()).isFalse();
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=bogus").usable()).isFalse();
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=bogus; rua=not a uri").usable()).isFalse();
    }

    @Test
    void badPercentKeepsThePolicyAtFullStrength() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; pct=0").percent()).isZero();
        for (String pct : new String[] {"150", "-1", "abc", "", "1000"}) {
            DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=reject; pct=" + pct);
            assertThat(record.percent()).as(pct).isEqualTo(100);
            assertThat(record.problem()).as(pct).contains("pct=");
        }
    }
}
