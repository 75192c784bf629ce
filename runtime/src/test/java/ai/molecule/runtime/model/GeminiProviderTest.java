package ai.molecule.runtime.model;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;

class GeminiProviderTest extends ProviderContractTest {

    @Override
    String spec() {
        return "gemini:gemini-2.5-flash";
    }

    @Override
    Map<String, String> env(String baseUrl) {
        return Map.of("GEMINI_API_KEY", API_KEY, "GEMINI_BASE_URL", baseUrl + "/v1beta");
    }

    @Override
    String path() {
        return "/v1beta/models/gemini-2\\.5-flash:(generateContent|streamGenerateContent)";
    }

    @Override
    MappingBuilder authenticated(MappingBuilder stub) {
        return stub.withHeader("x-goog-api-key", equalTo(API_KEY));
    }

    @Override
    String textBody(String text) {
        return """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"%s"}]},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":11,"candidatesTokenCount":3,"totalTokenCount":14}}""".formatted(text);
    }

    @Override
    String toolCallBody(String tool, String q) {
        return """
                {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"%s","args":{"q":"%s"}}}]},
                 "finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":5,"totalTokenCount":25}}""".formatted(tool, q);
    }
}
