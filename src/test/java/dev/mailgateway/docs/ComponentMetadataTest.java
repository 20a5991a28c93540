package dev.mailgateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every option and header of every component says what it is for, in the metadata the build generates. */
class ComponentMetadataTest {

    static final java.util.List<String> SCHEMES = ComponentJson.SCHEMES;

    @ParameterizedTest
    @FieldSource("SCHEMES")
    void everyEndpointAndComponentOptionHasADescription(String scheme) {
        JsonNode json = ComponentJson.of(scheme);
        assertThat(json.get("component").get("scheme").asText()).isEqualTo(scheme);
        for (String section : new String[] {"properties", "componentProperties"}) {
            for (Map.Entry<String, JsonNode> option : json.get(section).properties()) {
                assertThat(option.getValue().path("description").asText())
                        .as("%s %s %s", scheme, section, option.getKey()).isNotBlank();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("SCHEMES")
    void everyHeaderConstantHasADescriptionAndAType(String scheme) {
        JsonNode headers = ComponentJson.of(scheme).get("headers");
        assertThat(headers).as("%s documents no headers (@Metadata on its Constants)", scheme).isNotNull();
        assertThat(headers.size()).isPositive();
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            assertThat(header.getValue().path("description").asText()).as("%s %s", scheme, header.getKey())
                    .isNotBlank();
            assertThat(header.getValue().path("javaType").asText()).as("%s %s", scheme, header.getKey())
                    .isNotBlank();
        }
    }

    /** A constant without {@code @Metadata} would be missing from the JSON above without a word. */
    @ParameterizedTest
    @FieldSource("SCHEMES")
    void everyConstantOfTheHeadersClassIsInTheMetadata(String scheme) throws Exception {
        JsonNode headers = ComponentJson.of(scheme).get("headers");
        String constant = headers.properties().iterator().next().getValue().get("constantName").asText();
        Class<?> constants = Class.forName(constant.substring(0, constant.indexOf('#')));
        java.util.List<String> names = java.util.Arrays.stream(constants.getFields())
                .filter(f -> java.lang.reflect.Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(f -> {
                    try {
                        return (String) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
        assertThat(headers.properties().stream().map(Map.Entry::getKey).toList()).containsExactlyInAnyOrderElementsOf(names);
    }
}
