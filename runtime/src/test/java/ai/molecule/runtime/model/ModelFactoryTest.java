package ai.molecule.runtime.model;

import ai.molecule.runtime.agent.ModelSettings;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.mistralai.MistralAiChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFactoryTest {

    private static ModelChain create(String model, Map<String, String> env, String... fallbacks) {
        return ModelFactory.create(new ModelSettings(model, List.of(fallbacks), null), env);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "claude-sonnet-4-5                | ANTHROPIC_API_KEY          | anthropic",
            "anthropic:claude-sonnet-4-5      | ANTHROPIC_API_KEY          | anthropic",
            "openai:gpt-4o                    | OPENAI_API_KEY             | openai",
            "openrouter:meta/llama            | OPENROUTER_API_KEY         | openai",
            "groq:llama-3.3-70b               | GROQ_API_KEY               | openai",
            "together:mixtral                 | TOGETHER_API_KEY           | openai",
            "vllm:qwen                        | -                          | openai",
            "openai-compatible:llama3.2       | OPENAI_COMPATIBLE_BASE_URL | openai",
            "gemini:gemini-2.5-flash          | GEMINI_API_KEY             | gemini",
            "google_genai:gemini-2.5-flash    | GOOGLE_API_KEY             | gemini",
            "ollama:llama3.2                  | -                          | ollama",
            "mistral:mistral-small-latest     | MISTRAL_API_KEY            | mistral",
            "scripted                         | -                          | scripted"})
    void buildsEachProviderFromItsEnv(String spec, String variable, String family) {
        Map<String, String> env = "-".equals(variable) ? Map.of() : Map.of(variable, "http://127.0.0.1:1/v1");

        ModelCandidate candidate = create(spec, env).candidates().getFirst();

        Class<?> expected = switch (family) {
            case "anthropic" -> AnthropicChatModel.class;
            case "openai" -> OpenAiChatModel.class;
            case "gemini" -> GoogleAiGeminiChatModel.class;
            case "ollama" -> OllamaChatModel.class;
            case "mistral" -> MistralAiChatModel.class;
            default -> ScriptedChatModel.class;
        };
        assertThat(candidate.chat()).isInstanceOf(expected);
        assertThat(candidate.streaming()).isNotNull();
        String normalized = spec.contains(":") || spec.equals("scripted") ? spec : "anthropic:" + spec;
        assertThat(candidate.spec()).isEqualTo(normalized);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "anthropic:x                | model anthropic:x needs ANTHROPIC_API_KEY",
            "claude-sonnet-4-5          | model anthropic:claude-sonnet-4-5 needs ANTHROPIC_API_KEY",
            "openai:gpt-4o              | model openai:gpt-4o needs OPENAI_API_KEY",
            "openrouter:x               | model openrouter:x needs OPENROUTER_API_KEY or OPENAI_API_KEY",
            "groq:x                     | model groq:x needs GROQ_API_KEY",
            "together:x                 | model together:x needs TOGETHER_API_KEY",
            "openai-compatible:x        | model openai-compatible:x needs OPENAI_COMPATIBLE_BASE_URL",
            "gemini:x                   | model gemini:x needs GEMINI_API_KEY or GOOGLE_API_KEY",
            "mistral:x                  | model mistral:x needs MISTRAL_API_KEY",
            "openai:                    | model openai: names no model",
            "bedrock:claude             | unknown model provider 'bedrock' in model bedrock:claude; known providers: anthropic, openai,"})
    void missingSettingsGiveAClearError(String spec, String message) {
        assertThatThrownBy(() -> create(spec, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void unknownProviderListsEveryKnownOne() {
        assertThatThrownBy(() -> create("bedrock:claude", Map.of()))
                .hasMessageContainingAll(ModelFactory.knownProviders().toArray(String[]::new));
        assertThat(ModelFactory.knownProviders()).contains("anthropic", "openai", "openrouter", "groq", "together",
                "vllm", "openai-compatible", "gemini", "google_genai", "ollama", "mistral", "scripted");
    }

    @Test
    void fallbacksFollowThePrimaryInOrder() {
        Map<String, String> env = new HashMap<>(Map.of("OPENAI_API_KEY", "k", "ANTHROPIC_API_KEY", "k"));

        ModelChain chain = create("openai:gpt-4o", env, "anthropic:claude-haiku-4-5", " ", "scripted");

        assertThat(chain.candidates()).extracting(ModelCandidate::spec)
                .containsExactly("openai:gpt-4o", "anthropic:claude-haiku-4-5", "scripted");
    }

    @Test
    void aBadFallbackFailsTheWholeChain() {
        assertThatThrownBy(() -> create("scripted", Map.of(), "mistral:large"))
                .hasMessage("model mistral:large needs MISTRAL_API_KEY");
    }

    @Test
    void noModelIsAClearError() {
        for (String model : Arrays.asList(null, "", "  ")) {
            assertThatThrownBy(() -> create(model, Map.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no model configured");
        }
    }

    @ParameterizedTest
    @CsvSource({
            "https://api.anthropic.com, https://api.anthropic.com/v1/",
            "https://api.anthropic.com/, https://api.anthropic.com/v1/",
            "http://proxy:8080/v1, http://proxy:8080/v1/",
            "http://proxy:8080/anthropic/v1/, http://proxy:8080/anthropic/v1/"})
    void anthropicBaseUrlGetsItsVersionRoot(String configured, String used) {
        assertThat(NativeProviders.anthropicBaseUrl(configured)).isEqualTo(used);
    }

    @Test
    void badNumbersInTheEnvAreNamed() {
        assertThatThrownBy(() -> create("ollama:x", Map.of("MODEL_MAX_RETRIES", "lots")))
                .hasMessage("MODEL_MAX_RETRIES must be a whole number, got 'lots'");
    }

    /** envNames (what a platform hands a workspace) covers every variable a provider says it needs. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"anthropic:m", "claude-sonnet", "openai:m", "openrouter:m",
            "groq:m", "together:m", "gemini:m", "google_genai:m", "mistral:m", "openai-compatible:m"})
    void envNamesCoverWhatTheProviderAsksFor(String spec) {
        String message = org.assertj.core.api.Assertions.catchThrowable(
                () -> ModelFactory.create(new ModelSettings(spec, List.of(), null), java.util.Map.of())).getMessage();
        String needed = message.substring(message.indexOf("needs ") + 6);
        org.assertj.core.api.Assertions.assertThat(ModelFactory.envNames(spec)).containsAll(List.of(needed.split(" or ")));
        org.assertj.core.api.Assertions.assertThat(ModelFactory.envNames("scripted")).isEmpty();
    }
}
