package ai.molecule.platform.yaml;

import ai.molecule.platform.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.Locale;
import java.util.function.Function;

/**
 * YAML from callers and templates, read without trusting it: SnakeYAML only composes the
 * node graph (no object is ever constructed from a tag), aliases and nesting are capped,
 * the input size is capped, and the JSON tree built from the graph is capped in nodes, so a
 * "billion laughs" file is refused instead of expanded. Custom tags are refused, except
 * the ones a caller handles (org templates' {@code !include}).
 */
public final class SafeYaml {
    public static final int MAX_CHARS = 512 * 1024;
    static final int MAX_ALIASES = 50;
    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 100_000;

    /** Why a YAML text was refused; the message is safe to show the caller. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Resolves a custom scalar tag ({@code !include x}) to a tree; null = the tag is not allowed. */
    public interface Tags {
        JsonNode resolve(String tag, String value);
    }

    private SafeYaml() {
    }

    public static JsonNode parse(String text) {
        return parse(text, (tag, value) -> null);
    }

    /** One YAML document as a JSON tree (an empty document is JSON null). */
    public static JsonNode parse(String text, Tags tags) {
        if (text.length() > MAX_CHARS) throw new Invalid("YAML document is larger than " + MAX_CHARS + " characters");
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setAllowRecursiveKeys(false);
        o.setAllowDuplicateKeys(false);
        o.setCodePointLimit(MAX_CHARS);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(o), new org.yaml.snakeyaml.representer.Representer(
                    new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), o).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new Invalid("invalid YAML: " + firstLine(e.getMessage()));
        }
        if (root == null) return JsonNodeFactory.instance.nullNode();
        return new Converter(tags).convert(root, 0);
    }

    /** A mapping, or an {@link Invalid} naming what {@code what} should have been. */
    public static ObjectNode parseObject(String text, String what) {
        JsonNode n = parse(text);
        if (n.isNull()) return Json.MAPPER.createObjectNode();
        if (!(n instanceof ObjectNode o)) throw new Invalid(what + " must be a YAML mapping");
        return o;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static final class Converter {
        private final Tags tags;
        private int nodes;

        Converter(Tags tags) {
            this.tags = tags;
        }

        JsonNode convert(Node node, int depth) {
            if (++nodes > MAX_NODES) throw new Invalid("YAML document expands to more than " + MAX_NODES + " nodes");
            if (depth > MAX_DEPTH) throw new Invalid("YAML document is nested deeper than " + MAX_DEPTH);
            return switch (node) {
                case MappingNode m -> mapping(m, depth);
                case SequenceNode s -> {
                    ArrayNode a = JsonNodeFactory.instance.arrayNode();
                    for (Node item : s.getValue()) a.add(convert(item, depth + 1));
                    yield a;
                }
                case ScalarNode s -> scalar(s);
                default -> throw new Invalid("unsupported YAML node");
            };
        }

        private JsonNode mapping(MappingNode m, int depth) {
            if (!Tag.MAP.equals(m.getTag())) throw new Invalid("YAML tag " + m.getTag().getValue() + " is not allowed");
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) throw new Invalid("YAML mapping keys must be plain values");
                if (o.has(k.getValue())) throw new Invalid("duplicate key " + k.getValue());
                o.set(k.getValue(), convert(t.getValueNode(), depth + 1));
            }
            return o;
        }

        private JsonNode scalar(ScalarNode s) {
            Tag tag = s.getTag();
            String v = s.getValue();
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (!tag.startsWith(Tag.PREFIX)) {
                JsonNode custom = tags.resolve(tag.getValue(), v);
                if (custom == null) throw new Invalid("YAML tag " + tag.getValue() + " is not allowed");
                return custom;
            }
            if (Tag.NULL.equals(tag)) return f.nullNode();
            if (Tag.BOOL.equals(tag)) return f.booleanNode(switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            });
            if (Tag.INT.equals(tag)) {
                try {
                    BigInteger b = new BigInteger(v.replace("_", ""));
                    return b.bitLength() < 64 ? f.numberNode(b.longValue()) : f.numberNode(b);
                } catch (NumberFormatException e) {
                    return f.textNode(v); // 0x…, 0o…, sexagesimal: kept as written
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                try {
                    return f.numberNode(Double.parseDouble(v.replace("_", "")));
                } catch (NumberFormatException e) {
                    return f.textNode(v);
                }
            }
            if (Tag.STR.equals(tag) || Tag.TIMESTAMP.equals(tag)) return f.textNode(v);
            throw new Invalid("YAML tag " + tag.getValue() + " is not allowed");
        }
    }
}
