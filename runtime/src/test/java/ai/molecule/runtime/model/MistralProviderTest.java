package ai.molecule.runtime.model;

import java.util.Map;

class MistralProviderTest extends OpenAiWireProviderTest {

    @Override
    String spec() {
        return "mistral:mistral-small-latest";
    }

    @Override
    Map<String, String> env(String baseUrl) {
        return Map.of("MISTRAL_API_KEY", API_KEY, "MISTRAL_BASE_URL", baseUrl + "/v1");
    }

    @Override
    String path() {
        return "/v1/chat/completions";
    }
}
