package ai.molecule.runtime.model;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;

/** The contract for providers that speak OpenAI's chat-completions wire with a Bearer key. */
abstract class OpenAiWireProviderTest extends ProviderContractTest {

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
