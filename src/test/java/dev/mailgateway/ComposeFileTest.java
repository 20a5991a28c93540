package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.GatewayVariables;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The shipped docker-compose.yml and Dockerfile, checked without a Docker engine (there is none on the build
 * machines): Debian's docker-compose 1.29 resolves and validates the compose file, and the file itself is read for
 * what a mistake would silently break: a GATEWAY_* variable the gateway ignores, a broker or Redis reachable from
 * the host, an image without its readiness check.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");

    @Test
    void dockerComposeResolvesTheShippedFile() throws Exception {
        ProcessBuilder config = composeConfig();
        config.environment().put("GATEWAY_BROKER_USERNAME", "gateway");
        config.environment().put("GATEWAY_BROKER_PASSWORD", "secret");

        Result result = run(config);

        assertThat(result.exitCode()).as("docker-compose config said:%n%s", result.output()).isZero();
    }

    @Test
    void dockerComposeRefusesToStartWithoutTheBrokerCredentials() throws Exception {
        // the broker is authenticated: no default user or password may slip in
        ProcessBuilder config = composeConfig();
        config.environment().remove("GATEWAY_BROKER_USERNAME");
        config.environment().remove("GATEWAY_BROKER_PASSWORD");

        Result result = run(config);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("GATEWAY_BROKER_USERNAME");
    }

    @Test
    void everyGatewayVariableOfTheGatewayServiceOverridesAKey() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("config/application.properties"))) {
            properties.load(reader);
        }
        List<String> variables = environment(service("gateway")).stream()
                .filter(name -> name.startsWith("GATEWAY_"))
                .toList();

        assertThat(GatewayVariables.unknown(variables, properties.stringPropertyNames()))
                .as("variables of docker-compose.yml that name no key of config/application.properties")
                .isEmpty();
        assertThat(variables).contains("GATEWAY_SPAM_RSPAMD_URL", "GATEWAY_TRANSPORT_MAP");
    }

    @Test
    void brokerRedisAndRspamdAreNotPublishedOnTheHost() throws IOException {
        for (String name : List.of("activemq", "redis", "rspamd")) {
            assertThat(service(name)).as(name).doesNotContainKey("ports");
        }
    }

    @Test
    void adminPortAndMailpitAreOnTheHostsLoopbackOnly() throws IOException {
        assertThat(ports(service("gateway"))).contains("127.0.0.1:9025:9025");
        assertThat(ports(service("mailpit"))).containsExactly("127.0.0.1:8025:8025");
        assertThat(ports(service("gateway"))).filteredOn(port -> port.contains("9025")).allMatch(
                port -> port.startsWith("127.0.0.1:"));
    }

    @Test
    void theImageChecksTheReadinessEndpoint() throws IOException {
        List<String> healthchecks = instructions(Path.of("Dockerfile")).stream()
                .filter(instruction -> instruction.startsWith("HEALTHCHECK "))
                .toList();

        assertThat(healthchecks).singleElement().satisfies(healthcheck -> {
            assertThat(healthcheck).contains("healthcheck.sh").contains("/health/ready");
        });
        assertThat(Files.readString(Path.of("docker/healthcheck.sh"))).contains("/dev/tcp/127.0.0.1/");
    }

    private static ProcessBuilder composeConfig() {
        return new ProcessBuilder(dockerCompose().toString(), "-f", COMPOSE.toString(), "config", "--quiet")
                .redirectErrorStream(true);
    }

    private static Path dockerCompose() {
        Optional<Path> found = Stream.concat(
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                        Stream.of("/usr/bin", "/usr/local/bin"))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "docker-compose"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            throw new AssertionError("docker-compose is not installed, and this test validates docker-compose.yml"
                    + " with it: install Debian's (apt-get install -y docker-compose; .ci/run does)");
        }
        return found.get();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("docker-compose config did not finish in 60 s");
        }
        return new Result(process.exitValue(), output);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(COMPOSE));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).as("services of docker-compose.yml").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    /** The variable names of a service's environment, in the map form or the list form (NAME=value). */
    private static List<String> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        if (environment instanceof Map<?, ?> map) {
            return map.keySet().stream().map(String::valueOf).toList();
        }
        if (environment instanceof List<?> list) {
            return list.stream().map(entry -> String.valueOf(entry).split("=", 2)[0]).toList();
        }
        return List.of();
    }

    private static List<String> ports(Map<String, Object> service) {
        Object ports = service.get("ports");
        return ports instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    /** A Dockerfile's instructions, each on one line: continuation lines joined, comments dropped. */
    private static List<String> instructions(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && current.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(trimmed).toString().strip());
            current.setLength(0);
        }
        return instructions;
    }
}
