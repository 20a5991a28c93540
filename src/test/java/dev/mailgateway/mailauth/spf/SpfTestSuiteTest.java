package dev.mailgateway.mailauth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.testing.DnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.xbill.DNS.Type;

/**
 * The openspf.org RFC 7208 test suite (src/test/resources/spf, see its README) against {@link SpfVerifier}: each
 * scenario's zone served by a real DNS server on loopback, each test case a MAIL FROM check (an empty MAIL FROM
 * checks postmaster@HELO, as the suite's own driver does), its result one of those the case accepts and its
 * explanation, when the case gives one, the one expected ("DEFAULT" is our default explanation's text here).
 * No case is skipped. The YAML is read with snakeyaml-engine, which camel-yaml-dsl brings.
 */
class SpfTestSuiteTest {

    /** Generous: the server on loopback answers at once, unless the machine is very busy. */
    private static final Duration ANSWERED = Duration.ofSeconds(5);
    /**
     * Scenarios with TIMEOUT entries wait this long for the answers that never come: short, to keep the suite fast;
     * long enough that an answer that does come, on a busy machine, comes in time (the resolver is warm by then).
     */
    private static final Duration UNANSWERED = Duration.ofMillis(500);

    /**
     * Cases whose explanation is compared ignoring case, each with the reason. None is skipped otherwise.
     */
    private static final Map<String, String> EXPLANATION_IN_ANY_CASE = Map.of(
            "v-macro-ip6", "the suite (from pyspf) wants %{i} of an IPv6 client in uppercase nibbles; RFC 7208 §7.4's"
                    + " own example expands it lowercase, as we do. DNS names are case-insensitive: only this"
                    + " explanation text shows the difference");

    private static final Map<Integer, DnsServer> SERVERS = new ConcurrentHashMap<>();

    record Scenario(int index, String description, Map<String, List<Object>> zone) {

        boolean hasTimeouts() {
            return zone.values().stream().anyMatch(entries -> entries.contains("TIMEOUT"));
        }
    }

    record Case(Scenario scenario, String id, String host, String helo, String mailFrom, List<String> results,
                String explanation) {

        @Override
        public String toString() {
            return scenario.description() + ": " + id;
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream yaml = SpfTestSuiteTest.class.getResourceAsStream("/spf/rfc7208-tests.yml")) {
            int index = 0;
            for (Object document : new Load(LoadSettings.builder().build()).loadAllFromInputStream(yaml)) {
                Map<String, Object> scenario = map(document);
                Scenario zone = new Scenario(index++, (String) scenario.get("description"), zone(scenario));
                map(scenario.get("tests")).forEach((id, test) -> {
                    Map<String, Object> fields = map(test);
                    Object result = fields.get("result");
                    cases.add(new Case(zone, id, (String) fields.get("host"), (String) fields.get("helo"),
                            (String) fields.get("mailfrom"),
                            result instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                                    : List.of(String.valueOf(result)),
                            (String) fields.get("explanation")));
                });
            }
        }
        return cases.stream();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Object>> zone(Map<String, Object> scenario) {
        return (Map<String, List<Object>>) scenario.get("zonedata");
    }

    @BeforeAll
    static void warmUpTheResolver() throws Exception {
        // the first query of a JVM loads and starts dnsjava's client: not something a short timeout should meet
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), ANSWERED)) {
            server.a("warm.test", "192.0.2.1");
            dns.query("warm.test", Type.A).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(DnsServer::close);
        SERVERS.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseGivesAResultTheSuiteAccepts(Case test) throws Exception {
        DnsServer server = SERVERS.computeIfAbsent(test.scenario().index(), i -> serve(test.scenario()));
        // a resolver of its own for each case: nothing cached by one case is seen by another
        try (Dns dns = Dns.create(server.address(), test.scenario().hasTimeouts() ? UNANSWERED : ANSWERED)) {
            SpfVerifier verifier = new SpfVerifier(dns, "receiver.test", SpfVerifier.DEFAULT_DEADLINE, "DEFAULT");
            SpfResult result = verifier.checkMailFrom(client(test.host()), test.helo(), test.mailFrom())
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(result.result().keyword()).as("result (problem: %s)", result.problem())
                    .isIn(test.results());
            if (test.explanation() != null) {
                if (EXPLANATION_IN_ANY_CASE.containsKey(test.id())) {
                    assertThat(result.explanation()).isEqualToIgnoringCase(test.explanation());
                } else {
                    assertThat(result.explanation()).isEqualTo(test.explanation());
                }
            }
        }
    }

    /**
     * The scenario's zone as the suite's own driver (pyspf's testspf.py) reads it: SPF entries are also TXT
     * records where the name has no TXT entry; "TXT: NONE" says the name has none; TIMEOUT leaves questions of
     * the types the name has no records of unanswered. Character-strings are the entries' UTF-8 bytes.
     */
    private static DnsServer serve(Scenario scenario) {
        DnsServer server;
        try {
            server = DnsServer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        scenario.zone().forEach((name, entries) -> {
            boolean hasTxt = entries.stream().anyMatch(e -> e instanceof Map<?, ?> m && m.containsKey("TXT"));
            for (Object entry : entries) {
                if ("TIMEOUT".equals(entry)) {
                    server.dropOtherTypes(name);
                    continue;
                }
                map(entry).forEach((type, value) -> {
                    switch (type) {
                        case "A", "AAAA" -> server.a(name, (String) value);
                        case "MX" -> server.mx(name, (Integer) ((List<?>) value).get(0),
                                (String) ((List<?>) value).get(1));
                        case "PTR" -> server.ptr(name, (String) value);
                        case "CNAME" -> server.cname(name, (String) value);
                        case "TXT" -> {
                            if (!"NONE".equals(value)) {
                                server.txt(name, strings(value));
                            }
                        }
                        case "SPF" -> {
                            server.spf(name, strings(value));
                            if (!hasTxt) {
                                server.txt(name, strings(value));
                            }
                        }
                        default -> throw new IllegalArgumentException("record type " + type + " in the suite");
                    }
                });
            }
        });
        return server;
    }

    private static List<byte[]> strings(Object value) {
        List<?> strings = value instanceof List<?> list ? list : List.of(value);
        return strings.stream().map(s -> ((String) s).getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** The host's address, an IPv4-mapped one kept IPv6 (Java would make it IPv4: the verifier must do that). */
    private static InetAddress client(String host) throws IOException {
        if (!host.matches("[0-9A-Fa-f:.]+")) { // a literal only: the host's resolver is never asked
            throw new IllegalArgumentException("not an address: " + host);
        }
        byte[] bytes = InetAddress.getByName(host).getAddress();
        if (host.contains(":") && bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return InetAddress.getByAddress(bytes);
    }
}
