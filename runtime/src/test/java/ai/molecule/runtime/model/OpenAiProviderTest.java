package ai.molecule.runtime.model;

import java.util.Map;

class OpenAiProviderTest extends OpenAiWireProviderTest {

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
}
