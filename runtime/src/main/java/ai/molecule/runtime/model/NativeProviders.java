package ai.molecule.runtime.model;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.mistralai.MistralAiChatModel;
import dev.langchain4j.model.mistralai.MistralAiStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;

/** Providers with an API of their own: Anthropic, Gemini, Ollama, Mistral. */
final class NativeProviders {
    /** Anthropic requires max_tokens on every request; agents need more than LangChain4j's 1024. */
    private static final int DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

    private NativeProviders() {
    }

    static ModelCandidate anthropic(String spec, String modelName, ProviderEnv env) {
        String apiKey = env.requiredKey(spec, "ANTHROPIC_API_KEY");
        String baseUrl = anthropicBaseUrl(env.orDefault("ANTHROPIC_BASE_URL", "https://api.anthropic.com"));
        int maxTokens = env.intValue("MAX_TOKENS", DEFAULT_ANTHROPIC_MAX_TOKENS);
        var chat = AnthropicChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(modelName).maxTokens(maxTokens)
                .timeout(env.timeout()).maxRetries(env.maxRetries())
                .build();
        var streaming = AnthropicStreamingChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(modelName).maxTokens(maxTokens)
                .timeout(env.timeout())
                .build();
        return new ModelCandidate(spec, chat, streaming);
    }

    /**
     * ANTHROPIC_BASE_URL follows Anthropic's SDKs (host only, e.g. https://api.anthropic.com) while
     * LangChain4j wants the versioned root, so "/v1/" is added unless the value already ends in it.
     */
    static String anthropicBaseUrl(String configured) {
        String url = configured.replaceAll("/+$", "");
        return (url.endsWith("/v1") ? url : url + "/v1") + "/";
    }

    static ModelCandidate gemini(String spec, String modelName, ProviderEnv env) {
        String apiKey = env.requiredKey(spec, "GEMINI_API_KEY", "GOOGLE_API_KEY");
        String baseUrl = env.orDefault("GEMINI_BASE_URL", "https://generativelanguage.googleapis.com/v1beta");
        var chat = GoogleAiGeminiChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(modelName)
                .timeout(env.timeout()).maxRetries(env.maxRetries())
                .build();
        var streaming = GoogleAiGeminiStreamingChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(modelName)
                .timeout(env.timeout())
                .build();
        return new ModelCandidate(spec, chat, streaming);
    }

    static ModelCandidate ollama(String spec, String modelName, ProviderEnv env) {
        String baseUrl = env.orDefault("OLLAMA_BASE_URL", "http://localhost:11434");
        var chat = OllamaChatModel.builder()
                .baseUrl(baseUrl).modelName(modelName)
                .timeout(env.timeout()).maxRetries(env.maxRetries())
                .build();
        var streaming = OllamaStreamingChatModel.builder()
                .baseUrl(baseUrl).modelName(modelName)
                .timeout(env.timeout())
                .build();
        return new ModelCandidate(spec, chat, streaming);
    }

    static ModelCandidate mistral(String spec, String modelName, ProviderEnv env) {
        String apiKey = env.requiredKey(spec, "MISTRAL_API_KEY");
        String baseUrl = env.orDefault("MISTRAL_BASE_URL", "https://api.mistral.ai/v1");
        var chat = MistralAiChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(modelName)
                .timeout(env.timeout()).maxRetries(env.maxRetries())
                .build();
        var streaming = MistralAiStreamingChatModel.builder()
                .baseUrl(baseUrl).apiKey(apiKey).modelName(modelName)
                .timeout(env.timeout())
                .build();
        return new ModelCandidate(spec, chat, streaming);
    }
}
