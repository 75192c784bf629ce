package ai.molecule.runtime.model;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

import java.util.List;

/**
 * OpenAI itself and the services that speak its chat-completions API, told apart only by
 * their key variable and base URL.
 */
final class OpenAiCompatibleProviders {

    /**
     * @param keyNames       env variables holding the key, first set wins
     * @param keyRequired    false for self-hosted servers (vLLM, Ollama) that take no key
     * @param defaultBaseUrl null when the base URL must be configured
     */
    record Service(String name, List<String> keyNames, boolean keyRequired, String defaultBaseUrl) {
        String baseUrlVariable() {
            return name.toUpperCase().replace('-', '_') + "_BASE_URL";
        }
    }

    static final List<Service> SERVICES = List.of(
            new Service("openai", List.of("OPENAI_API_KEY"), true, "https://api.openai.com/v1"),
            new Service("openrouter", List.of("OPENROUTER_API_KEY", "OPENAI_API_KEY"), true, "https://openrouter.ai/api/v1"),
            new Service("groq", List.of("GROQ_API_KEY"), true, "https://api.groq.com/openai/v1"),
            new Service("together", List.of("TOGETHER_API_KEY"), true, "https://api.together.xyz/v1"),
            new Service("vllm", List.of("VLLM_API_KEY"), false, "http://localhost:8000/v1"),
            new Service("openai-compatible", List.of("OPENAI_COMPATIBLE_API_KEY"), false, null));

    private OpenAiCompatibleProviders() {
    }

    static ModelCandidate build(Service service, String spec, String modelName, ProviderEnv env) {
        String baseUrl = env.optional(service.baseUrlVariable());
        if (baseUrl == null && service.defaultBaseUrl() == null) {
            throw new IllegalArgumentException("model " + spec + " needs " + service.baseUrlVariable());
        }
        if (baseUrl == null) {
            baseUrl = service.defaultBaseUrl();
        }
        String[] keyNames = service.keyNames().toArray(String[]::new);
        String apiKey = service.keyRequired() ? env.requiredKey(spec, keyNames) : firstSet(env, keyNames);
        var chat = OpenAiChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(modelName)
                .timeout(env.timeout()).maxRetries(env.maxRetries())
                .build();
        var streaming = OpenAiStreamingChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(modelName)
                .timeout(env.timeout())
                .build();
        return new ModelCandidate(spec, chat, streaming);
    }

    private static String firstSet(ProviderEnv env, String... names) {
        for (String name : names) {
            if (env.optional(name) != null) {
                return env.optional(name);
            }
        }
        return null;
    }
}
