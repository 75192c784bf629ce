package ai.molecule.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Typed reads of one YAML mapping; a value of the wrong type fails naming its dotted key. */
final class YamlFields {
    private final JsonNode node;
    private final String prefix;

    YamlFields(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** A nested mapping; absent → an empty one. */
    YamlFields section(String key) {
        JsonNode v = value(key);
        if (v == null) return new YamlFields(com.fasterxml.jackson.databind.node.MissingNode.getInstance(), name(key) + ".");
        if (!v.isObject()) throw wrong(key, "a mapping");
        return new YamlFields(v, name(key) + ".");
    }

    /** Any scalar as text ({@code version: 1.0} is a string to us). */
    String string(String key, String fallback) {
        JsonNode v = value(key);
        if (v == null) return fallback;
        if (!v.isValueNode()) throw wrong(key, "a string");
        return v.asText();
    }

    int integer(String key, int fallback) {
        JsonNode v = value(key);
        if (v == null) return fallback;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrong(key, "an integer");
        return v.intValue();
    }

    double number(String key, double fallback) {
        JsonNode v = value(key);
        if (v == null) return fallback;
        if (!v.isNumber()) throw wrong(key, "a number");
        return v.doubleValue();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = value(key);
        if (v == null) return fallback;
        if (!v.isBoolean()) throw wrong(key, "true or false");
        return v.booleanValue();
    }

    List<String> strings(String key, List<String> fallback) {
        JsonNode v = value(key);
        if (v == null) return fallback;
        if (!v.isArray()) throw wrong(key, "a list of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode() || item.isNull()) throw wrong(key, "a list of strings");
            out.add(item.asText());
        }
        return List.copyOf(out);
    }

    /** The raw node, or null when absent. */
    JsonNode raw(String key) {
        return value(key);
    }

    /** YAML {@code key:} with no value is the same as leaving the key out. */
    private JsonNode value(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    private String name(String key) {
        return prefix + key;
    }

    private ConfigException wrong(String key, String expected) {
        return new ConfigException("config.yaml: '" + name(key) + "' must be " + expected);
    }
}
