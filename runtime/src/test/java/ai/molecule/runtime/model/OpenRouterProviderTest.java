package ai.molecule.runtime.model;

import java.util.Map;

/** An OpenAI-compatible service reached through its base URL, with its own key variable. */
class OpenRouterProviderTest extends OpenAiWireProviderTest {

    @Override
    String spec() {
        return "openrouter:anthropic/claude-3.5-haiku";
    }

    @Override
    Map<String, String> env(String baseUrl) {
        return Map.of("OPENROUTER_API_KEY", API_KEY, "OPENROUTER_BASE_URL", baseUrl + "/api/v1",
                "OPENAI_API_KEY", "not-this-one");
    }

    @Override
    String path() {
        return "/api/v1/chat/completions";
    }
}
