package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MailAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"a@b.test", "first.last@sub.b.test", "x+tag@b.test", "\"john doe\"@b.test",
            "\"a@b\"@c.test", "!#$%&'*+-/=?^_`{|}~@b.test", "a@[192.0.2.1]", "a@[IPv6:2001:db8::1]", "a@b-c.test"})
    void acceptsValidMailboxes(String mailbox) {
        assertThat(MailAddress.parse(mailbox, false).toString()).isEqualTo(mailbox);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a@", "@b.test", "a b@c.test", "a@b..test", "a@.b.test", "a@b.test.",
            "a@b_c.test", "\"unterminated@b.test", "a@[not-ip]", "a@b@c.test", "a\u0000@b.test", "caf\u00e9@b.test",
            "a@b\u00fccher.test"})
    void refusesInvalidMailboxes(String mailbox) {
        assertThatThrownBy(() -> MailAddress.parse(mailbox, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void utf8AddressesNeedUtf8Allowed() {
        MailAddress address = MailAddress.parse("j\u00f6rg@b\u00fccher.test", true);
        assertThat(address.isUtf8()).isTrue();
        assertThat(address.domain()).isEqualTo("b\u00fccher.test");
    }

    @Test
    void domainComparesWithoutCaseAndLocalPartWithCase() {
        assertThat(MailAddress.parse("a@B.Test", false)).isEqualTo(MailAddress.parse("a@b.test", false));
        assertThat(MailAddress.parse("A@b.test", false)).isNotEqualTo(MailAddress.parse("a@b.test", false));
        assertThat(MailAddress.parse("a@B.Test", false).domainKey()).isEqualTo("b.test");
    }

    @Test
    void nullSenderIsEmpty() {
        assertThat(MailAddress.nullSender().toString()).isEmpty();
        assertThat(MailAddress.nullSender().isNullSender()).isTrue();
    }
}
