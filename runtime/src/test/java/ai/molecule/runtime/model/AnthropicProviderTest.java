package ai.molecule.runtime.model;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;

/** ANTHROPIC_BASE_URL is the bare host, as Anthropic's SDKs take it; the client must add /v1. */
class AnthropicProviderTest extends ProviderContractTest {

    @Override
    String spec() {
        return "anthropic:claude-sonnet-4-5";
    }

    @Override
    Map<String, String> env(String baseUrl) {
        return Map.of("ANTHROPIC_API_KEY", API_KEY, "ANTHROPIC_BASE_URL", baseUrl);
    }

    @Override
    String path() {
        return "/v1/messages";
    }

    @Override
    MappingBuilder authenticated(MappingBuilder stub) {
        return stub.withHeader("x-api-key", equalTo(API_KEY)).withHeader("anthropic-version", matching(".+"));
    }

    @Override
    String textBody(String text) {
        return """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn",
                 "usage":{"input_tokens":11,"output_tokens":3}}""".formatted(text);
    }

    @Override
    String toolCallBody(String tool, String q) {
        return """
                {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"tool_use","id":"toolu_1","name":"%s","input":{"q":"%s"}}],
                 "stop_reason":"tool_use","usage":{"input_tokens":20,"output_tokens":5}}""".formatted(tool, q);
    }
}
