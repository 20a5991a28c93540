package dev.mailgateway.testing;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which key of config/application.properties an environment variable such as {@code GATEWAY_DATA_DIR} overrides.
 * The gateway looks a key up in the environment upper-cased, with its dots and dashes as underscores (Camel's
 * override, and QueueCommand's), so a variable overrides a key exactly when that spelling of the key equals it.
 * A variable that names no key is silently ignored by the gateway: this is how a test catches one.
 */
public final class GatewayVariables {

    private GatewayVariables() {
    }

    /** The variable that overrides {@code key}: gateway.data-dir is GATEWAY_DATA_DIR. */
    public static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The key among {@code keys} that {@code variable} overrides, if any. */
    public static Optional<String> keyOf(String variable, Collection<String> keys) {
        return keys.stream().filter(key -> variableOf(key).equals(variable)).findFirst();
    }

    /** The variables among {@code variables} that override none of {@code keys}, in their order. */
    public static List<String> unknown(Collection<String> variables, Collection<String> keys) {
        return variables.stream().filter(variable -> keyOf(variable, keys).isEmpty()).toList();
    }
}
