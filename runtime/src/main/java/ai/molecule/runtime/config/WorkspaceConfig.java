package ai.molecule.runtime.config;

import ai.molecule.runtime.agent.ModelSettings;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A workspace's {@code config.yaml} (spec agent-side §1.2), the keys that apply to this runtime.
 * Unknown keys are ignored; a known key of the wrong type fails with a message naming it.
 *
 * @param model             resolved: env {@code MODEL_PROVIDER} over config {@code model} over the default
 * @param fallbackModels    ours: tried in order when the model fails
 * @param initialPrompt     inline {@code initial_prompt}, else the text of {@code initial_prompt_file}; "" = none
 * @param idlePrompt        the same for {@code idle_prompt}
 * @param systemPrompt      ours: inline text put before the prompt files
 * @param script            ours: the scripted model's script, or null
 * @param maxToolIterations ours: tool rounds per turn before the agent stops
 */
public record WorkspaceConfig(String name, String description, String role, String version, int tier,
                              String model, List<String> fallbackModels, String runtime, RuntimeConfig runtimeConfig,
                              String initialPrompt, String idlePrompt, int idleIntervalSeconds,
                              List<String> skills, List<String> tools, List<String> promptFiles, String systemPrompt,
                              boolean streaming, Delegation delegation, JsonNode script, int maxToolIterations) {

    public static final String FILE = "config.yaml";
    public static final String DEFAULT_MODEL = "anthropic:claude-opus-4-7";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** {@code runtime_config}: boot fails when a {@code required_env} name is unset; timeout 0 = none. */
    public record RuntimeConfig(List<String> requiredEnv, int timeoutSeconds) {
    }

    /** {@code delegation.*}: parsed as upstream; the delegation tools read env knobs instead. */
    public record Delegation(int retryAttempts, double retryDelaySeconds, double timeoutSeconds, boolean escalate) {
    }

    /** Reads {@code <configDir>/config.yaml}; {@code env} supplies {@code MODEL_PROVIDER}. */
    public static WorkspaceConfig load(Path configDir, Map<String, String> env) {
        Path file = configDir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new ConfigException("config.yaml not found in " + configDir);
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ConfigException("config.yaml is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) root = YAML.createObjectNode();
        if (!root.isObject()) throw new ConfigException("config.yaml must be a mapping of keys to values");
        return parse(new YamlFields(root, ""), configDir, env);
    }

    private static WorkspaceConfig parse(YamlFields y, Path configDir, Map<String, String> env) {
        String name = y.string("name", "Workspace");
        String envModel = env.getOrDefault("MODEL_PROVIDER", "").trim();
        String model = !envModel.isEmpty() ? envModel : y.string("model", DEFAULT_MODEL);
        YamlFields rc = y.section("runtime_config");
        YamlFields delegation = y.section("delegation");
        return new WorkspaceConfig(name, y.string("description", ""), y.string("role", ""),
                y.string("version", "1.0.0"), y.integer("tier", 1),
                model, y.strings("fallback_models", List.of()), y.string("runtime", "langgraph"),
                new RuntimeConfig(rc.strings("required_env", List.of()), rc.integer("timeout", 0)),
                prompt(y, "initial_prompt", configDir), prompt(y, "idle_prompt", configDir),
                positive(y, "idle_interval_seconds", 600),
                y.strings("skills", List.of()), y.strings("tools", List.of()),
                y.strings("prompt_files", List.of("system-prompt.md")), y.string("system_prompt", ""),
                y.section("a2a").bool("streaming", true),
                new Delegation(delegation.integer("retry_attempts", 3), delegation.number("retry_delay", 5.0),
                        delegation.number("timeout", 120.0), delegation.bool("escalate", true)),
                y.raw("script"), positive(y, "max_tool_iterations", 10));
    }

    public ModelSettings modelSettings() {
        return new ModelSettings(model, fallbackModels, script);
    }

    /** The card falls back to the name when there is no description, as upstream. */
    public String cardDescription() {
        return description.isBlank() ? name : description;
    }

    private static int positive(YamlFields y, String key, int fallback) {
        int v = y.integer(key, fallback);
        if (v <= 0) throw new ConfigException("config.yaml: '" + key + "' must be a positive integer");
        return v;
    }

    /** Inline text wins over {@code <key>_file}, a path inside the config dir. */
    private static String prompt(YamlFields y, String key, Path configDir) {
        String inline = y.string(key, "");
        if (!inline.isBlank()) return inline;
        String fileKey = key + "_file";
        String relative = y.string(fileKey, "");
        if (relative.isBlank()) return "";
        Path file = inside(configDir, relative, fileKey);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("config.yaml: '" + fileKey + "' cannot be read: " + relative);
        }
    }

    /** Resolves a config-relative path, refusing one that leaves the config dir. */
    static Path inside(Path configDir, String relative, String key) {
        Path base = configDir.toAbsolutePath().normalize();
        Path p = base.resolve(relative).normalize();
        if (!p.startsWith(base)) throw new ConfigException("config.yaml: '" + key + "' must stay inside the config dir: " + relative);
        return p;
    }
}
