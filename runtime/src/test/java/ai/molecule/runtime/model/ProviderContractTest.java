package ai.molecule.runtime.model;

import ai.molecule.runtime.agent.AgentReply;
import ai.molecule.runtime.agent.AgentTurn;
import ai.molecule.runtime.agent.LangChainAgent;
import ai.molecule.runtime.agent.ModelCallException;
import ai.molecule.runtime.agent.ModelSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same checks for every provider, each against a local fake of its HTTP API: a plain reply,
 * a tool-call round trip through the agent loop, and errors with and without a fallback.
 * Subclasses supply the provider's wire format; stubs require the provider's auth header, so a
 * client that sends the wrong one gets a 404 and the test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProviderContractTest {
    static final String API_KEY = "test-key-123";
    static final String TOOL_OUTPUT = "TOOL-OUTPUT-7";
    static final ObjectMapper JSON = new ObjectMapper();

    WireMockServer server;

    /** "provider:model" */
    abstract String spec();

    /** The env pointing the provider at {@code baseUrl} (the fake's root URL), with its key. */
    abstract Map<String, String> env(String baseUrl);

    /** Regex of the request path the provider posts to. */
    abstract String path();

    /** Adds the provider's auth header (or other fixed request shape) to a stub. */
    abstract MappingBuilder authenticated(MappingBuilder stub);

    /** A non-streaming response body answering {@code text}. */
    abstract String textBody(String text);

    /** A non-streaming response body asking for tool {@code tool} with arguments {@code {"q": q}}. */
    abstract String toolCallBody(String tool, String q);

    @BeforeAll
    void startServer() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
    }

    @AfterAll
    void stopServer() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    Map<String, String> testEnv() {
        Map<String, String> env = new HashMap<>(env(server.baseUrl()));
        env.put("MODEL_MAX_RETRIES", "0");
        return env;
    }

    ModelCandidate candidate() {
        return ModelFactory.create(new ModelSettings(spec(), List.of(), null), testEnv()).candidates().getFirst();
    }

    /** The blocking model alone, so the non-streaming wire format is what gets exercised. */
    ModelChain blockingChain() {
        ModelCandidate candidate = candidate();
        return ModelChain.of(new ModelCandidate(candidate.spec(), candidate.chat(), null));
    }

    static AgentTurn turn(String text) {
        return new AgentTurn("task-1", "ctx-1", text, List.of(), Map.of());
    }

    @Test
    void plainReply() {
        server.stubFor(authenticated(post(urlPathMatching(path()))).willReturn(okJson(textBody("Hello from the fake"))));

        assertThat(candidate().chat().chat("hi")).isEqualTo("Hello from the fake");
    }

    @Test
    void toolCallRoundTripThroughTheAgent() throws Exception {
        server.stubFor(authenticated(post(urlPathMatching(path()))).atPriority(5)
                .willReturn(okJson(toolCallBody("lookup", "weather"))));
        server.stubFor(authenticated(post(urlPathMatching(path()))).atPriority(1)
                .withRequestBody(containing(TOOL_OUTPUT))
                .willReturn(okJson(textBody("It is sunny"))));
        EchoTool tool = new EchoTool("lookup", TOOL_OUTPUT + " for ");

        AgentReply reply = new LangChainAgent(blockingChain(), "You are helpful.", List.of(tool), 5)
                .respond(turn("what's the weather?"), chunk -> { });

        assertThat(reply.text()).isEqualTo("It is sunny");
        assertThat(tool.calls()).hasSize(1);
        assertThat(JSON.readTree(tool.calls().getFirst()).path("q").asText()).isEqualTo("weather");
        assertThat(reply.toolTrace()).singleElement().satisfies(call -> {
            assertThat(call.tool()).isEqualTo("lookup");
            assertThat(call.outputPreview()).startsWith(TOOL_OUTPUT);
        });
        assertThat(server.getAllServeEvents()).hasSize(2);
    }

    @Test
    void providerErrorGivesAUsefulMessage() {
        server.stubFor(post(urlPathMatching(path())).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\"}}")));

        assertThatThrownBy(() -> new LangChainAgent(blockingChain(), null, List.of(), 3).respond(turn("hi"), c -> { }))
                .isInstanceOf(ModelCallException.class)
                .hasMessageContaining(spec())
                .hasMessageContaining("upstream exploded");
    }

    @Test
    void rejectedKeyFallsBackToTheNextModel() throws Exception {
        server.stubFor(post(urlPathMatching(path())).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"invalid api key\"}}")));
        var script = JSON.readTree("{\"steps\":[{\"reply\":\"fallback answered: {{input}}\"}]}");
        ModelChain chain = ModelFactory.create(new ModelSettings(spec(), List.of("scripted"), script), testEnv());

        AgentReply reply = new LangChainAgent(chain, null, List.of(), 3).respond(turn("hi"), c -> { });

        assertThat(reply.text()).isEqualTo("fallback answered: hi");
        assertThat(server.getAllServeEvents()).isNotEmpty()
                .allSatisfy(event -> assertThat(event.getResponse().getStatus()).isEqualTo(401));
    }
}
