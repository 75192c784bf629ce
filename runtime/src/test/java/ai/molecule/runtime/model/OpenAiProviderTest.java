package ai.molecule.runtime.model;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;

class OpenAiProviderTest extends ProviderContractTest {

    @Override
    String spec() {
        return "openai:gpt-4o";
    }

    @Override
    Map<String, String> env(String baseUrl) {
        return Map.of("OPENAI_API_KEY", API_KEY, "OPENAI_BASE_URL", baseUrl + "/v1");
    }

    @Override
    String path() {
        return "/v1/chat/completions";
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
