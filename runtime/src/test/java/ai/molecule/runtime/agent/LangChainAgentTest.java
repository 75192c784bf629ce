package ai.molecule.runtime.agent;

import ai.molecule.runtime.model.EchoTool;
import ai.molecule.runtime.model.ModelCandidate;
import ai.molecule.runtime.model.ModelChain;
import ai.molecule.runtime.model.ModelFactory;
import ai.molecule.runtime.model.OpenAiWire;
import ai.molecule.runtime.model.ScriptedChatModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.langchain4j.agent.tool.ToolSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The loop itself: messages, tools, limits, streaming, failover and cancellation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LangChainAgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPLETIONS = "/v1/chat/completions";

    private WireMockServer openAi;

    @BeforeAll
    void start() {
        openAi = new WireMockServer(wireMockConfig().dynamicPort());
        openAi.start();
    }

    @AfterAll
    void stop() {
        openAi.stop();
    }

    @BeforeEach
    void reset() {
        openAi.resetAll();
    }

    private ModelCandidate openAiCandidate() {
        Map<String, String> env = Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", openAi.baseUrl() + "/v1", "MODEL_MAX_RETRIES", "0");
        return ModelFactory.create(new ModelSettings("openai:gpt-4o", List.of(), null), env).candidates().getFirst();
    }

    private ModelChain blockingOpenAi() {
        ModelCandidate candidate = openAiCandidate();
        return ModelChain.of(new ModelCandidate(candidate.spec(), candidate.chat(), null));
    }

    private static ModelCandidate scripted(String yaml) throws Exception {
        var model = new ScriptedChatModel(new YAMLMapper().readTree(yaml));
        return new ModelCandidate("scripted", model, model);
    }

    private static AgentTurn turn(String text, AgentTurn.ChatTurn... history) {
        return new AgentTurn("task-1", "ctx-1", text, List.of(history), Map.of());
    }

    private static AgentTool tool(String name, ToolBody body) {
        return new AgentTool() {
            @Override
            public ToolSpecification specification() {
                return ToolSpecification.builder().name(name).description("test tool").build();
            }

            @Override
            public String execute(String argumentsJson) throws Exception {
                return body.run(argumentsJson);
            }
        };
    }

    private interface ToolBody {
        String run(String arguments) throws Exception;
    }

    @Test
    void systemPromptHistoryAndTurnReachTheModelInOrder() throws Exception {
        openAi.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(okJson(OpenAiWire.text("ok"))));

        new LangChainAgent(blockingOpenAi(), "You are the PM.", List.of(), 3).respond(
                turn("and now?", new AgentTurn.ChatTurn("user", "earlier question"),
                        new AgentTurn.ChatTurn("agent", "earlier answer"), new AgentTurn.ChatTurn("user", " ")), c -> { });

        JsonNode messages = JSON.readTree(openAi.getAllServeEvents().getFirst().getRequest().getBodyAsString()).path("messages");
        assertThat(messages.findValuesAsText("role")).containsExactly("system", "user", "assistant", "user");
        assertThat(messages.findValuesAsText("content")).containsExactly("You are the PM.", "earlier question", "earlier answer", "and now?");
    }

    @Test
    void openAiStreamingSendsChunksInOrder() throws Exception {
        openAi.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(aResponse()
                .withHeader("Content-Type", "text/event-stream")
                .withBody(OpenAiWire.textStream(List.of("The ", "login ", "page ", "is ", "done.")))));
        List<String> chunks = new CopyOnWriteArrayList<>();

        AgentReply reply = new LangChainAgent(ModelChain.of(openAiCandidate()), null, List.of(), 3).respond(turn("status?"), chunks::add);

        assertThat(chunks).containsExactly("The ", "login ", "page ", "is ", "done.");
        assertThat(reply.text()).isEqualTo("The login page is done.");
        assertThat(JSON.readTree(openAi.getAllServeEvents().getFirst().getRequest().getBodyAsString()).path("stream").asBoolean()).isTrue();
    }

    @Test
    void openAiStreamingToolCallRoundTrip() throws Exception {
        openAi.stubFor(post(urlPathEqualTo(COMPLETIONS)).atPriority(5).willReturn(aResponse()
                .withHeader("Content-Type", "text/event-stream").withBody(OpenAiWire.toolCallStream("lookup", "oslo"))));
        openAi.stubFor(post(urlPathEqualTo(COMPLETIONS)).atPriority(1).withRequestBody(containing("RESULT-9"))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                        .withBody(OpenAiWire.textStream(List.of("Sunny ", "in ", "Oslo.")))));
        EchoTool lookup = new EchoTool("lookup", "RESULT-9 ");
        List<String> chunks = new CopyOnWriteArrayList<>();

        AgentReply reply = new LangChainAgent(ModelChain.of(openAiCandidate()), null, List.of(lookup), 3).respond(turn("weather?"), chunks::add);

        assertThat(lookup.calls()).containsExactly("{\"q\":\"oslo\"}");
        assertThat(reply.text()).isEqualTo("Sunny in Oslo.");
        assertThat(String.join("", chunks)).isEqualTo("Sunny in Oslo.");
        assertThat(reply.toolTrace()).containsExactly(new AgentReply.ToolCall("lookup", "{\"q\":\"oslo\"}", "RESULT-9 {\"q\":\"oslo\"}"));
    }

    @Test
    void unknownToolsAndFailingToolsBecomeToolResults() throws Exception {
        ModelChain chain = ModelChain.of(scripted("""
                steps:
                  - tool: no_such_tool
                  - tool: broken
                  - reply: "saw: {{tool_result}}"
                """));
        AgentTool broken = tool("broken", args -> {
            throw new IllegalStateException("disk on fire");
        });

        AgentReply reply = new LangChainAgent(chain, null, List.of(broken), 5).respond(turn("go"), c -> { });

        assertThat(reply.toolTrace()).extracting(AgentReply.ToolCall::outputPreview).containsExactly(
                "Error: unknown tool 'no_such_tool'. Available tools: broken",
                "Error: tool broken failed: disk on fire");
        assertThat(reply.text()).isEqualTo("saw: Error: tool broken failed: disk on fire");
    }

    @Test
    void theToolTraceIsTruncatedAndUsageSummed() throws Exception {
        String longInput = "x".repeat(700);
        ModelChain chain = ModelChain.of(scripted("""
                steps:
                  - tool: big
                    args: {q: "%s"}
                  - reply: "done now"
                """.formatted(longInput)));

        AgentReply reply = new LangChainAgent(chain, null, List.of(tool("big", args -> "y".repeat(400))), 5)
                .respond(turn("one two three"), c -> { });

        AgentReply.ToolCall call = reply.toolTrace().getFirst();
        assertThat(call.input()).hasSize(500).startsWith("{\"q\":\"xxx");
        assertThat(call.outputPreview()).isEqualTo("y".repeat(300));
        // call 1: 3 words in, 1 word (the arguments) out; call 2: 3 + 1 tool result word in, 2 out
        assertThat(reply.usage()).isEqualTo(new AgentReply.Usage(3 + 4, 1 + 2));
    }

    @Test
    void aToolThatStopsTheTurnIsTheLastThingThatRuns() throws Exception {
        ModelChain chain = ModelChain.of(scripted("""
                steps:
                  - tool: gate
                  - tool: act
                  - reply: "acted"
                """));
        AgentTool gate = tool("gate", args -> {
            throw new TurnStopped("Stopped: not allowed");
        });
        EchoTool act = new EchoTool("act", "");

        AgentReply reply = new LangChainAgent(chain, null, List.of(gate, act), 5).respond(turn("go"), c -> { });

        assertThat(reply.text()).isEqualTo("Stopped: not allowed");
        assertThat(reply.toolTrace()).extracting(AgentReply.ToolCall::tool, AgentReply.ToolCall::outputPreview)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gate", "Stopped: not allowed"));
        assertThat(act.calls()).isEmpty();
    }

    @Test
    void stopsAtTheToolIterationLimit() throws Exception {
        ModelChain chain = ModelChain.of(scripted("steps: [{tool: lookup, args: {q: again}}]"));
        EchoTool lookup = new EchoTool("lookup", "");

        assertThatThrownBy(() -> new LangChainAgent(chain, null, List.of(lookup), 3).respond(turn("loop"), c -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after 3 rounds of tool calls");
        assertThat(lookup.calls()).hasSize(3);
    }

    @Test
    void aFailedPrimaryIsNotRetriedWithinTheTurn() throws Exception {
        openAi.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"overloaded\"}}")));
        ModelCandidate fallback = scripted("""
                steps:
                  - tool: lookup
                    args: {q: "{{input}}"}
                  - reply: "fallback: {{tool_result}}"
                """);

        AgentReply reply = new LangChainAgent(new ModelChain(List.of(openAiCandidate(), fallback)), null,
                List.of(new EchoTool("lookup", "found ")), 5).respond(turn("keys"), c -> { });

        assertThat(reply.text()).isEqualTo("fallback: found {\"q\":\"keys\"}");
        openAi.verify(1, postRequestedFor(urlPathEqualTo(COMPLETIONS)));
    }

    @Test
    void whenEveryModelFailsTheLastErrorIsReported() throws Exception {
        openAi.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(aResponse().withStatus(401).withBody("{\"error\":{\"message\":\"bad key\"}}")));
        ModelCandidate primary = openAiCandidate();
        ModelChain chain = new ModelChain(List.of(primary, new ModelCandidate("openai:second", primary.chat(), null)));

        assertThatThrownBy(() -> new LangChainAgent(chain, null, List.of(), 3).respond(turn("hi"), c -> { }))
                .isInstanceOf(ModelCallException.class)
                .hasMessageStartingWith("all 2 models failed; the last, openai:second: AuthenticationException (HTTP 401)")
                .hasMessageContaining("bad key");
        openAi.verify(2, postRequestedFor(urlPathEqualTo(COMPLETIONS)));
    }

    @ParameterizedTest(name = "streaming={0}")
    @ValueSource(booleans = {true, false})
    void interruptionAbandonsASlowModelCall(boolean streaming) throws Exception {
        openAi.stubFor(post(urlPathEqualTo(COMPLETIONS)).willReturn(okJson(OpenAiWire.text("too late")).withFixedDelay(5_000)));
        ModelChain chain = streaming ? ModelChain.of(openAiCandidate()) : blockingOpenAi();
        var agent = new LangChainAgent(chain, null, List.of(), 3);

        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread turnThread = Thread.ofVirtual().start(() -> {
            try {
                agent.respond(turn("slow"), c -> { });
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> openAi.verify(1, postRequestedFor(urlPathEqualTo(COMPLETIONS))));
        turnThread.interrupt();

        assertThat(outcome.get(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void interruptionReachesARunningTool() throws Exception {
        ModelChain chain = ModelChain.of(scripted("steps: [{tool: wait}, {reply: never}]"));
        CountDownLatch toolStarted = new CountDownLatch(1);
        var agent = new LangChainAgent(chain, null, List.of(tool("wait", args -> {
            toolStarted.countDown();
            new CountDownLatch(1).await();
            return "unreachable";
        })), 3);

        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread turnThread = Thread.ofVirtual().start(() -> {
            try {
                agent.respond(turn("go"), c -> { });
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        assertThat(toolStarted.await(3, TimeUnit.SECONDS)).isTrue();
        turnThread.interrupt();

        assertThat(outcome.get(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void badConstructionIsRejected() throws Exception {
        ModelChain chain = ModelChain.of(scripted("{}"));
        assertThatThrownBy(() -> new LangChainAgent(chain, null, List.of(), 0))
                .hasMessage("maxToolIterations must be at least 1, got 0");
        assertThatThrownBy(() -> new LangChainAgent(chain, null, List.of(new EchoTool("a", ""), new EchoTool("a", "")), 3))
                .hasMessage("two tools are named a");
    }

    @Test
    void anInterruptedThreadDoesNotStartATurn() throws Exception {
        var agent = new LangChainAgent(ModelChain.of(scripted("{}")), null, List.of(), 3);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> agent.respond(turn("hi"), c -> { })).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
