package ai.molecule.platform.org;

import ai.molecule.platform.http.Json;
import ai.molecule.platform.workspace.WorkspaceCreator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An org template turned into the workspaces it makes (spec agent-side §6.1–6.2), parents
 * before children, every default applied: runtime / model / tier fall back to the defaults;
 * plugins are the union of the defaults and the node's ({@code !name} or {@code -name}
 * removes a default); {@code category_routing} keys of a node replace the default's list for
 * that key (an empty list deletes it); initial memories are the node's when it has any;
 * inline prompts beat {@code *_file}s, which are read under the node's {@code files_dir}
 * (the defaults' under the template root). Nothing touches the database here.
 */
public record OrgPlan(String name, String description, List<Node> nodes, List<List<String>> requiredEnv,
                      List<List<String>> recommendedEnv, List<WorkspaceCreator.Memory> globalMemories) {

    public static final String DEFAULT_RUNTIME = "langgraph";
    public static final String DEFAULT_MODEL = "anthropic:claude-opus-4-7";
    public static final int DEFAULT_TIER = 2;

    /** One workspace to create or update; {@code parent} is an index into {@link #nodes}, or -1 for a root. */
    public record Node(int parent, String name, String role, String runtime, int tier, String model,
                       ObjectNode config, int maxConcurrentTasks, List<WorkspaceCreator.Memory> initialMemories,
                       List<Schedule> schedules, List<Map<String, Object>> channelsSkipped, boolean external,
                       String url, String workspaceDir, String workspaceAccess, Double x, Double y,
                       Map<String, String> secrets, Path filesDir) {
    }

    public record Schedule(String name, String cronExpr, String timezone, String prompt, boolean enabled) {
    }

    /**
     * @param tree          the loaded org.yaml (or an inline template)
     * @param folder        the template folder (null for an inline template: no files, no .env)
     * @param modelOverride ours: every workspace on this model (e.g. {@code scripted}), or null
     */
    public static OrgPlan of(JsonNode tree, Path folder, String modelOverride) {
        if (!(tree instanceof ObjectNode top)) throw invalid("the template must be a mapping");
        Fields t = new Fields(top, "");
        Fields defaults = t.section("defaults");
        Map<String, String> orgEnv = folder == null ? Map.of() : EnvFile.read(folder.resolve(".env"));
        Builder b = new Builder(folder, defaults, orgEnv, modelOverride);
        JsonNode list = top.get("workspaces");
        if (list == null || !list.isArray() || list.isEmpty()) throw invalid("workspaces must be a non-empty list");
        List<List<String>> required = envList(t, "required_env");
        List<List<String>> recommended = envList(t, "recommended_env");
        int i = 0;
        for (JsonNode root : list) b.add(root, -1, "workspaces[" + i++ + "]", required, recommended);
        List<WorkspaceCreator.Memory> global = memories(t, "global_memories", "GLOBAL");
        return new OrgPlan(t.string("name", "Org"), t.string("description", ""), List.copyOf(b.nodes),
                dedupe(required), dedupe(recommended), global);
    }

    /** Every variable name the preflight asks about, for listing. */
    public static List<String> names(List<List<String>> env) {
        return env.stream().map(alts -> String.join("|", alts)).toList();
    }

    private static final class Builder {
        final Path folder;
        final Fields defaults;
        final Map<String, String> orgEnv;
        final String modelOverride;
        final List<Node> nodes = new ArrayList<>();

        Builder(Path folder, Fields defaults, Map<String, String> orgEnv, String modelOverride) {
            this.folder = folder;
            this.defaults = defaults;
            this.orgEnv = orgEnv;
            this.modelOverride = modelOverride;
        }

        void add(JsonNode raw, int parent, String where, List<List<String>> required, List<List<String>> recommended) {
            if (!(raw instanceof ObjectNode o)) throw invalid(where + " must be a mapping");
            Fields f = new Fields(o, where + ".");
            String name = f.string("name", "");
            if (name.isBlank()) throw invalid(where + ".name is required");
            String filesDirName = f.string("files_dir", "");
            Path filesDir = null;
            if (!filesDirName.isEmpty()) {
                if (folder == null) throw invalid(where + ".files_dir needs a template folder");
                filesDir = OrgTemplateLoader.inside(folder, filesDirName, where + ".files_dir");
                if (!Files.isDirectory(filesDir)) throw invalid(where + ".files_dir not found: " + filesDirName);
            }
            Map<String, String> env = new LinkedHashMap<>(orgEnv);
            if (filesDir != null) env.putAll(EnvFile.read(filesDir.resolve(".env")));

            String runtime = f.string("runtime", defaults.string("runtime", DEFAULT_RUNTIME));
            String model = modelOverride != null ? modelOverride
                    : f.string("model", defaults.string("model", runtime.equals("claude-code") ? "sonnet" : DEFAULT_MODEL));
            int tier = f.integer("tier", defaults.integer("tier", DEFAULT_TIER));
            if (tier < 1 || tier > 4) throw invalid(where + ".tier must be between 1 and 4");

            ObjectNode config = Json.MAPPER.createObjectNode();
            config.put("model", model);
            ArrayNode plugins = config.putArray("plugins");
            plugins(defaults.strings("plugins"), f.strings("plugins")).forEach(plugins::add);
            ObjectNode routing = routing(defaults.object("category_routing"), f.object("category_routing"), where);
            if (!routing.isEmpty()) config.set("category_routing", routing);
            String system = f.string("system_prompt", "");
            if (!system.isBlank()) config.put("system_prompt", system);
            prompt(f, filesDir, "initial_prompt", where).ifPresent(p -> config.put("initial_prompt", p));
            prompt(f, filesDir, "idle_prompt", where).ifPresent(p -> config.put("idle_prompt", p));
            int idle = f.integer("idle_interval_seconds", defaults.integer("idle_interval_seconds", 0));
            if (idle > 0) config.put("idle_interval_seconds", idle);
            JsonNode script = f.raw("script");
            if (script != null) config.set("script", script);
            ObjectNode extra = f.object("config");
            if (extra != null) config.setAll(extra);
            if (filesDir != null && Files.isRegularFile(filesDir.resolve("config.yaml"))) {
                config.setAll(readConfigOverride(filesDir.resolve("config.yaml"), where));
            }
            if (modelOverride != null) config.put("model", modelOverride);

            List<WorkspaceCreator.Memory> memories = memories(f, "initial_memories", "LOCAL");
            if (memories.isEmpty()) memories = memories(defaults, "initial_memories", "LOCAL");

            String dir = f.string("workspace_dir", "");
            if (!dir.isEmpty()) dir = EnvFile.expand(dir, k -> env.containsKey(k) ? env.get(k) : System.getenv(k), where + ".workspace_dir");
            JsonNode canvas = f.raw("canvas");
            Double x = canvas != null && canvas.path("x").isNumber() ? canvas.get("x").asDouble() : null;
            Double y = canvas != null && canvas.path("y").isNumber() ? canvas.get("y").asDouble() : null;
            int max = f.integer("max_concurrent_tasks", 1);

            required.addAll(envList(f, "required_env"));
            recommended.addAll(envList(f, "recommended_env"));
            int index = nodes.size();
            nodes.add(new Node(parent, name, f.string("role", null), runtime, tier, model, config, Math.max(1, max),
                    memories, schedules(f, filesDir, where), channelsSkipped(f), f.bool("external", false),
                    blankToNull(f.string("url", null)), blankToNull(dir), f.string("workspace_access", "none"), x, y,
                    Map.copyOf(env), filesDir));
            JsonNode children = o.get("children");
            if (children != null && !children.isNull()) {
                if (!children.isArray()) throw invalid(where + ".children must be a list");
                Set<String> seen = new HashSet<>();
                int i = 0;
                for (JsonNode c : children) {
                    String childWhere = where + ".children[" + i++ + "]";
                    if (c.isObject() && !seen.add(c.path("name").asText())) {
                        throw invalid(childWhere + ": two children named " + c.path("name").asText());
                    }
                    add(c, index, childWhere, required, recommended);
                }
            }
        }

        /** Inline text, else the node's {@code *_file} (under its files_dir), else the defaults' (under the root). */
        java.util.Optional<String> prompt(Fields f, Path filesDir, String key, String where) {
            String inline = f.string(key, "");
            if (!inline.isBlank()) return java.util.Optional.of(inline);
            String file = f.string(key + "_file", "");
            if (!file.isBlank()) return java.util.Optional.of(read(filesDir != null ? filesDir : folder, file, where + "." + key + "_file"));
            String d = defaults.string(key, "");
            if (!d.isBlank()) return java.util.Optional.of(d);
            String dFile = defaults.string(key + "_file", "");
            if (!dFile.isBlank()) return java.util.Optional.of(read(folder, dFile, "defaults." + key + "_file"));
            return java.util.Optional.empty();
        }

        String read(Path base, String relative, String key) {
            if (base == null) throw invalid(key + " needs a template folder");
            Path p = OrgTemplateLoader.inside(base, relative, key);
            try {
                if (!Files.isRegularFile(p)) throw invalid(key + " not found: " + relative);
                if (Files.size(p) > 256 * 1024) throw invalid(key + " is larger than 256 KiB");
                return Files.readString(p);
            } catch (IOException e) {
                throw invalid(key + " cannot be read: " + relative);
            }
        }

        List<Schedule> schedules(Fields f, Path filesDir, String where) {
            JsonNode list = f.raw("schedules");
            List<Schedule> out = new ArrayList<>();
            if (list == null) return out;
            if (!list.isArray()) throw invalid(where + ".schedules must be a list");
            Set<String> names = new HashSet<>();
            int i = 0;
            for (JsonNode s : list) {
                String sw = where + ".schedules[" + i++ + "]";
                if (!(s instanceof ObjectNode so)) throw invalid(sw + " must be a mapping");
                Fields sf = new Fields(so, sw + ".");
                String name = sf.string("name", "");
                String cron = sf.string("cron_expr", "").strip();
                if (name.isBlank()) throw invalid(sw + ".name is required");
                if (!names.add(name)) throw invalid(sw + ": two schedules named " + name);
                if (cron.split("\\s+").length != 5) throw invalid(sw + ".cron_expr must have 5 fields");
                String prompt = sf.string("prompt", "");
                if (prompt.isBlank()) {
                    String file = sf.string("prompt_file", "");
                    if (file.isBlank()) throw invalid(sw + " needs prompt or prompt_file");
                    prompt = read(filesDir != null ? filesDir : folder, file, sw + ".prompt_file");
                }
                out.add(new Schedule(name, cron, sf.string("timezone", "UTC"), prompt, sf.bool("enabled", true)));
            }
            return out;
        }

        ObjectNode readConfigOverride(Path file, String where) {
            try {
                return ai.molecule.platform.yaml.SafeYaml.parseObject(read(file.getParent(), "config.yaml", where + " config.yaml"), "config.yaml");
            } catch (ai.molecule.platform.yaml.SafeYaml.Invalid e) {
                throw invalid(where + " config.yaml: " + e.getMessage());
            }
        }
    }

    /** Defaults first, then the node's; {@code !name} / {@code -name} drops a default. */
    static List<String> plugins(List<String> defaults, List<String> node) {
        LinkedHashSet<String> out = new LinkedHashSet<>(defaults);
        for (String p : node) {
            if (p.startsWith("!") || p.startsWith("-")) out.remove(p.substring(1));
            else out.add(p);
        }
        return List.copyOf(out);
    }

    /** Node keys replace the default's role list per key; an empty list removes the key. */
    static ObjectNode routing(ObjectNode defaults, ObjectNode node, String where) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (defaults != null) out.setAll(defaults);
        if (node != null) {
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isArray()) throw invalid(where + ".category_routing." + e.getKey() + " must be a list of roles");
                if (e.getValue().isEmpty()) out.remove(e.getKey());
                else out.set(e.getKey(), e.getValue());
            });
        }
        return out;
    }

    private static List<Map<String, Object>> channelsSkipped(Fields f) {
        JsonNode list = f.raw("channels");
        List<Map<String, Object>> out = new ArrayList<>();
        if (list == null || !list.isArray()) return out;
        for (JsonNode c : list) {
            out.add(Map.of("type", c.path("type").asText(""), "reason", "channels are not available on this platform yet"));
        }
        return out;
    }

    private static List<WorkspaceCreator.Memory> memories(Fields f, String key, String defaultScope) {
        JsonNode list = f.raw(key);
        List<WorkspaceCreator.Memory> out = new ArrayList<>();
        if (list == null) return out;
        if (!list.isArray()) throw invalid(f.name(key) + " must be a list");
        for (JsonNode m : list) {
            String content = m.isTextual() ? m.textValue() : m.path("content").asText("");
            if (content.isBlank()) throw invalid(f.name(key) + " entries need content");
            String scope = m.path("scope").asText(defaultScope).toUpperCase(Locale.ROOT);
            out.add(new WorkspaceCreator.Memory(content, scope.isEmpty() ? defaultScope : scope));
        }
        return out;
    }

    /** Each item a name, or {@code {any_of: [names]}} (one of them suffices). */
    private static List<List<String>> envList(Fields f, String key) {
        JsonNode list = f.raw(key);
        List<List<String>> out = new ArrayList<>();
        if (list == null) return out;
        if (!list.isArray()) throw invalid(f.name(key) + " must be a list");
        for (JsonNode item : list) {
            if (item.isTextual()) out.add(List.of(item.textValue()));
            else if (item.path("any_of").isArray()) {
                List<String> alts = new ArrayList<>();
                item.get("any_of").forEach(a -> alts.add(a.asText()));
                out.add(List.copyOf(alts));
            } else throw invalid(f.name(key) + " items must be names or {any_of: [...]}");
        }
        return out;
    }

    private static List<List<String>> dedupe(List<List<String>> env) {
        return List.copyOf(new LinkedHashSet<>(env));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static OrgTemplateLoader.InvalidTemplate invalid(String message) {
        return new OrgTemplateLoader.InvalidTemplate(message);
    }

    /** Typed reads of one template mapping; a wrong type fails naming the field's place. */
    private record Fields(ObjectNode node, String prefix) {
        String name(String key) {
            return prefix + key;
        }

        JsonNode raw(String key) {
            JsonNode v = node == null ? null : node.get(key);
            return v == null || v.isNull() ? null : v;
        }

        Fields section(String key) {
            JsonNode v = raw(key);
            if (v == null) return new Fields(null, name(key) + ".");
            if (!(v instanceof ObjectNode o)) throw invalid(name(key) + " must be a mapping");
            return new Fields(o, name(key) + ".");
        }

        ObjectNode object(String key) {
            JsonNode v = raw(key);
            if (v == null) return null;
            if (!(v instanceof ObjectNode o)) throw invalid(name(key) + " must be a mapping");
            return o;
        }

        String string(String key, String fallback) {
            JsonNode v = raw(key);
            if (v == null) return fallback;
            if (!v.isValueNode()) throw invalid(name(key) + " must be a string");
            return v.asText();
        }

        int integer(String key, int fallback) {
            JsonNode v = raw(key);
            if (v == null) return fallback;
            if (!v.isIntegralNumber() || !v.canConvertToInt()) throw invalid(name(key) + " must be an integer");
            return v.intValue();
        }

        boolean bool(String key, boolean fallback) {
            JsonNode v = raw(key);
            if (v == null) return fallback;
            if (!v.isBoolean()) throw invalid(name(key) + " must be true or false");
            return v.booleanValue();
        }

        List<String> strings(String key) {
            JsonNode v = raw(key);
            if (v == null) return List.of();
            if (!v.isArray()) throw invalid(name(key) + " must be a list");
            List<String> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isValueNode() || item.isNull()) throw invalid(name(key) + " must be a list of names");
                out.add(item.asText());
            }
            return out;
        }
    }
}
