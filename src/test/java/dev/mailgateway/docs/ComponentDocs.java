package dev.mailgateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The options table of a component as Markdown, from its generated JSON: what {@code docs/components/<scheme>.md}
 * holds. Written from the metadata the configurers are generated from, it says what the code accepts.
 */
public final class ComponentDocs {

    static final String NOTE = "<!-- Generated from the component's metadata (@UriEndpoint, @UriParam, @Metadata) by"
            + " ComponentDocsTest: do not edit.\n     Regenerate: mvn -B -q test -Dtest=ComponentDocsTest"
            + " -Ddocs.update=true -->\n";

    private ComponentDocs() {
    }

    public static String markdown(JsonNode json) {
        JsonNode component = json.get("component");
        String scheme = component.get("scheme").asText();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(scheme).append(": ").append(component.get("title").asText()).append("\n\n");
        md.append(NOTE).append('\n');
        md.append(text(component.get("description").asText())).append("\n\n");
        md.append("Syntax: `").append(component.get("syntax").asText()).append("`. ");
        if (component.path("consumerOnly").asBoolean()) {
            md.append("Consumer only (`from`).");
        } else if (component.path("producerOnly").asBoolean()) {
            md.append("Producer only (`to`).");
        }
        md.append(" Since ").append(component.get("firstVersion").asText()).append(".\n");

        md.append("\n## Path\n\n| name | type | required | values | description |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, JsonNode> option : entries(json.get("properties"))) {
            JsonNode o = option.getValue();
            if ("path".equals(o.path("kind").asText())) {
                md.append("| `").append(option.getKey()).append("` | ").append(o.get("type").asText()).append(" | ")
                        .append(o.path("required").asBoolean() ? "yes" : "no").append(" | ")
                        .append(values(o)).append(" | ").append(text(o.get("description").asText())).append(" |\n");
            }
        }

        md.append("\n## Endpoint options\n\nIn the URI's query (`").append(scheme)
                .append(":name?option=value&...`) or a route's `parameters`. An unknown option fails the start.\n\n")
                .append("| option | group | type | default | description |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, JsonNode> option : entries(json.get("properties"))) {
            if (!"path".equals(option.getValue().path("kind").asText())) {
                md.append(row(option.getKey(), option.getValue()));
            }
        }

        md.append("\n## Component options\n\nShared by every endpoint of the component: `camel.component.")
                .append(scheme).append(".<option>` in `application.properties`. `configuration` holds the defaults of")
                .append(" the endpoint options (`camel.component.").append(scheme)
                .append(".configuration.<option>`).\n\n| option | group | type | default | description |\n")
                .append("|---|---|---|---|---|\n");
        for (Map.Entry<String, JsonNode> option : entries(json.get("componentProperties"))) {
            if (!option.getValue().has("configurationField")) {
                md.append(row(option.getKey(), option.getValue()));
            }
        }

        JsonNode headers = json.get("headers");
        if (headers != null && headers.size() > 0) {
            md.append("\n## Headers\n\n| header | type | description |\n|---|---|---|\n");
            for (Map.Entry<String, JsonNode> header : entries(headers)) {
                md.append("| `").append(header.getKey()).append("` | `")
                        .append(header.getValue().get("javaType").asText()).append("` | ")
                        .append(text(header.getValue().get("description").asText())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String row(String name, JsonNode o) {
        String type = o.get("type").asText();
        if ("object".equals(type)) {
            type = o.get("javaType").asText().replaceAll(".*\\.", "");
        }
        String defaultValue = o.has("defaultValue") && !o.get("defaultValue").asText().isEmpty()
                ? "`" + o.get("defaultValue").asText().replace("|", "\\|") + "`" : "";
        return "| `" + name + "` | " + o.get("group").asText() + " | " + type + values(o) + " | " + defaultValue
                + " | " + text(o.get("description").asText()) + (o.path("secret").asBoolean() ? " (secret)" : "")
                + " |\n";
    }

    private static String values(JsonNode o) {
        if (!o.has("enum")) {
            return "";
        }
        StringBuilder values = new StringBuilder(": ");
        for (JsonNode value : o.get("enum")) {
            values.append(values.length() > 2 ? ", " : "").append('`').append(value.asText()).append('`');
        }
        return values.toString();
    }

    /** Table-safe: pipes would end the cell, and an unknown tag such as {@code <queue-id>} would vanish. */
    private static String text(String description) {
        return description.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
    }

    private static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode object) {
        return object.properties();
    }
}
