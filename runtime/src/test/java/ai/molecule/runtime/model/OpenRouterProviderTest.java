package ai.molecule.runtime.model;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;

/** An OpenAI-compatible service reached through its base URL, with its own key variable. */
class OpenRouterProviderTest extends ProviderContractTest {

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

    @Override
    MappingBuilder authenticated(MappingBuilder stub) {
        return stub.withHeader("Authorization", equalTo("Bearer " + API_KEY));
    }

    @Override
    String textBody(String text) {
        return OpenAiWire.text(text);
    }

    @Override
    String toolCallBody(String tool, String q) {
        return OpenAiWire.toolCall(tool, q);
    }
}
