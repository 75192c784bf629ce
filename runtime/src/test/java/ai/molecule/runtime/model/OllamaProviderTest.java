package ai.molecule.runtime.model;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;

/** Ollama takes no key; its stubs instead require the model name the spec asked for. */
class OllamaProviderTest extends ProviderContractTest {

    @Override
    String spec() {
        return "ollama:llama3.2";
    }

    @Override
    Map<String, String> env(String baseUrl) {
        return Map.of("OLLAMA_BASE_URL", baseUrl);
    }

    @Override
    String path() {
        return "/api/chat";
    }

    @Override
    MappingBuilder authenticated(MappingBuilder stub) {
        return stub.withRequestBody(matchingJsonPath("$.model", equalTo("llama3.2")));
    }

    @Override
    String textBody(String text) {
        return """
                {"model":"llama3.2","created_at":"2025-01-01T00:00:00Z",
                 "message":{"role":"assistant","content":"%s"},"done":true,"done_reason":"stop",
                 "prompt_eval_count":11,"eval_count":3}""".formatted(text);
    }

    @Override
    String toolCallBody(String tool, String q) {
        return """
                {"model":"llama3.2","created_at":"2025-01-01T00:00:00Z",
                 "message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"%s","arguments":{"q":"%s"}}}]},
                 "done":true,"done_reason":"stop","prompt_eval_count":20,"eval_count":5}""".formatted(tool, q);
    }
}
