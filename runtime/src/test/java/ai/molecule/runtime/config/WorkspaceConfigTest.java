package ai.molecule.runtime.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class WorkspaceConfigTest {
    @TempDir
    Path dir;

    private WorkspaceConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return WorkspaceConfig.load(dir, env);
    }

    @Test
    void emptyFileGivesUpstreamDefaults() throws IOException {
        WorkspaceConfig c = load("", Map.of());
        assertThat(c.name()).isEqualTo("Workspace");
        assertThat(c.description()).isEmpty();
        assertThat(c.cardDescription()).isEqualTo("Workspace");
        assertThat(c.version()).isEqualTo("1.0.0");
        assertThat(c.tier()).isEqualTo(1);
        assertThat(c.model()).isEqualTo("anthropic:claude-opus-4-7");
        assertThat(c.fallbackModels()).isEmpty();
        assertThat(c.runtime()).isEqualTo("langgraph");
        assertThat(c.runtimeConfig()).isEqualTo(new WorkspaceConfig.RuntimeConfig(List.of(), 0));
        assertThat(c.initialPrompt()).isEmpty();
        assertThat(c.idlePrompt()).isEmpty();
        assertThat(c.idleIntervalSeconds()).isEqualTo(600);
        assertThat(c.promptFiles()).containsExactly("system-prompt.md");
        assertThat(c.streaming()).isTrue();
        assertThat(c.delegation()).isEqualTo(new WorkspaceConfig.Delegation(3, 5.0, 120.0, true));
        assertThat(c.script()).isNull();
        assertThat(c.maxToolIterations()).isEqualTo(10);
    }

    @Test
    void everyKeyIsRead() throws IOException {
        WorkspaceConfig c = load("""
                name: Dev Lead
                description: Leads the developers
                role: lead
                version: 2.1
                tier: 3
                model: openai:gpt-4o
                fallback_models: [anthropic:claude-sonnet-4-5, scripted]
                runtime: molecule
                runtime_config:
                  required_env: [OPENAI_API_KEY]
                  timeout: 90
                initial_prompt: Clone the repo
                idle_prompt: Anything to do?
                idle_interval_seconds: 120
                skills: [review]
                tools: [web_search]
                prompt_files: [a.md, b.md]
                system_prompt: You are the dev lead.
                a2a: {streaming: false, port: 8000}
                delegation: {retry_attempts: 5, retry_delay: 1.5, timeout: 60, escalate: false}
                script:
                  - reply: hello
                max_tool_iterations: 4
                some_future_key: {anything: [1, 2]}
                """, Map.of());
        assertThat(c.name()).isEqualTo("Dev Lead");
        assertThat(c.cardDescription()).isEqualTo("Leads the developers");
        assertThat(c.role()).isEqualTo("lead");
        assertThat(c.version()).isEqualTo("2.1");
        assertThat(c.tier()).isEqualTo(3);
        assertThat(c.modelSettings().model()).isEqualTo("openai:gpt-4o");
        assertThat(c.modelSettings().fallbacks()).containsExactly("anthropic:claude-sonnet-4-5", "scripted");
        assertThat(c.modelSettings().script().get(0).get("reply").asText()).isEqualTo("hello");
        assertThat(c.runtime()).isEqualTo("molecule");
        assertThat(c.runtimeConfig()).isEqualTo(new WorkspaceConfig.RuntimeConfig(List.of("OPENAI_API_KEY"), 90));
        assertThat(c.initialPrompt()).isEqualTo("Clone the repo");
        assertThat(c.idlePrompt()).isEqualTo("Anything to do?");
        assertThat(c.idleIntervalSeconds()).isEqualTo(120);
        assertThat(c.skills()).containsExactly("review");
        assertThat(c.tools()).containsExactly("web_search");
        assertThat(c.promptFiles()).containsExactly("a.md", "b.md");
        assertThat(c.systemPrompt()).isEqualTo("You are the dev lead.");
        assertThat(c.streaming()).isFalse();
        assertThat(c.delegation()).isEqualTo(new WorkspaceConfig.Delegation(5, 1.5, 60.0, false));
        assertThat(c.maxToolIterations()).isEqualTo(4);
    }

    @ParameterizedTest(name = "env {0}, config {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "-,             -,               anthropic:claude-opus-4-7",
            "-,             openai:gpt-4o,   openai:gpt-4o",
            "scripted,      openai:gpt-4o,   scripted",
            "'  ',          openai:gpt-4o,   openai:gpt-4o",
    })
    void modelPrecedence(String env, String config, String expected) throws IOException {
        WorkspaceConfig c = load(config == null ? "" : "model: " + config, env == null ? Map.of() : Map.of("MODEL_PROVIDER", env));
        assertThat(c.model()).isEqualTo(expected);
    }

    @Test
    void promptsComeFromFilesUnlessInline() throws IOException {
        Files.writeString(dir.resolve("init.md"), "from the file");
        Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(dir.resolve("prompts/idle.md"), "idle from the file");
        WorkspaceConfig c = load("initial_prompt_file: init.md\nidle_prompt_file: prompts/idle.md\n", Map.of());
        assertThat(c.initialPrompt()).isEqualTo("from the file");
        assertThat(c.idlePrompt()).isEqualTo("idle from the file");
        assertThat(load("initial_prompt: inline\ninitial_prompt_file: init.md\n", Map.of()).initialPrompt()).isEqualTo("inline");
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                arguments("tier: high", "'tier' must be an integer"),
                arguments("tier: 1.5", "'tier' must be an integer"),
                arguments("name: [a, b]", "'name' must be a string"),
                arguments("skills: review", "'skills' must be a list of strings"),
                arguments("skills: [{a: 1}]", "'skills' must be a list of strings"),
                arguments("fallback_models: openai:gpt-4o", "'fallback_models' must be a list of strings"),
                arguments("idle_interval_seconds: soon", "'idle_interval_seconds' must be an integer"),
                arguments("idle_interval_seconds: 0", "'idle_interval_seconds' must be a positive integer"),
                arguments("max_tool_iterations: -1", "'max_tool_iterations' must be a positive integer"),
                arguments("runtime_config: [x]", "'runtime_config' must be a mapping"),
                arguments("runtime_config: {required_env: X}", "'runtime_config.required_env' must be a list of strings"),
                arguments("runtime_config: {timeout: long}", "'runtime_config.timeout' must be an integer"),
                arguments("a2a: {streaming: maybe}", "'a2a.streaming' must be true or false"),
                arguments("delegation: {retry_delay: soon}", "'delegation.retry_delay' must be a number"),
                arguments("initial_prompt_file: missing.md", "'initial_prompt_file' cannot be read: missing.md"),
                arguments("idle_prompt_file: ../../etc/passwd", "'idle_prompt_file' must stay inside the config dir"),
                arguments("- just\n- a list", "config.yaml must be a mapping"),
                arguments("name: [unclosed", "config.yaml is not valid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void wrongTypesNameTheKey(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> WorkspaceConfig.load(dir, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("config.yaml not found in " + dir);
    }
}
