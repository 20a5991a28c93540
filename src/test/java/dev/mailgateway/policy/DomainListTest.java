package dev.mailgateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainListTest {

    @Test
    void exactDomainsAndDottedParents() {
        DomainList list = DomainList.parse("Example.com, .corp.example");
        assertThat(list.contains("example.com")).isTrue();
        assertThat(list.contains("mail.example.com")).isFalse();
        assertThat(list.contains("corp.example")).isFalse();
        assertThat(list.contains("a.b.corp.example")).isTrue();
        assertThat(list.contains("notcorp.example")).isFalse();
        assertThat(DomainList.parse("").contains("example.com")).isFalse();
    }
}
