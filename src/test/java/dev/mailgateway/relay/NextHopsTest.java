package dev.mailgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which next hop and which TLS policy a recipient domain gets. */
class NextHopsTest {

    private static NextHops hops(String transportMap, String smarthost, String tlsPolicies) {
        return NextHops.of(transportMap, smarthost, "", "", TlsPolicy.ENCRYPT, TlsPolicy.MAY, tlsPolicies);
    }

    @Test
    void transportMapNamesADomainOrWithALeadingDotItsSubdomains() {
        NextHops hops = hops("corp.test=10.0.0.5:25,.corp.test=10.0.0.6:2525", "", "");
        assertThat(hops.forDomain("corp.test")).get().extracting(NextHop::host).isEqualTo("10.0.0.5");
        assertThat(hops.forDomain("eu.corp.test")).get().extracting(NextHop::host).isEqualTo("10.0.0.6");
        assertThat(hops.forDomain("a.eu.corp.test")).get().extracting(NextHop::port).isEqualTo(2525);
        assertThat(hops.forDomain("othercorp.test")).isEmpty();
    }

    @Test
    void smarthostTakesWhatTheTransportMapDoesNotName() {
        NextHops hops = hops("corp.test=10.0.0.5", "relay.test:587", "");
        assertThat(hops.forDomain("corp.test")).get().extracting(NextHop::host).isEqualTo("10.0.0.5");
        assertThat(hops.forDomain("example.org")).get().extracting(NextHop::host, NextHop::port, NextHop::tls)
                .containsExactly("relay.test", 587, TlsPolicy.ENCRYPT);
    }

    @Test
    void tlsPolicyForADomainAndWithALeadingDotForItsSubdomains() {
        NextHops hops = hops(".bank.test=10.0.0.7,bank.test=10.0.0.7", "",
                "bank.test=encrypt,.bank.test=encrypt,legacy.test=none");
        assertThat(hops.tlsFor("bank.test")).isEqualTo(TlsPolicy.ENCRYPT);
        assertThat(hops.tlsFor("mx.bank.test")).isEqualTo(TlsPolicy.ENCRYPT);
        assertThat(hops.tlsFor("legacy.test")).isEqualTo(TlsPolicy.NONE);
        assertThat(hops.tlsFor("sub.legacy.test")).as("no .legacy.test entry").isEqualTo(TlsPolicy.MAY);
        assertThat(hops.forDomain("eu.bank.test")).get().extracting(NextHop::tls).isEqualTo(TlsPolicy.ENCRYPT);
    }

    @Test
    void internationalizedDomainsMatchInEitherForm() {
        NextHops hops = hops("b\u00fccher.test=10.0.0.8", "", "xn--bcher-kva.test=encrypt");
        assertThat(hops.forDomain("xn--bcher-kva.test")).get().extracting(NextHop::host, NextHop::tls)
                .containsExactly("10.0.0.8", TlsPolicy.ENCRYPT);
    }
}
