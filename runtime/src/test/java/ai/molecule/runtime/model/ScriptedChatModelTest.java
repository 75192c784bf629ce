package ai.molecule.runtime.model;

import ai.molecule.runtime.agent.AgentReply;
import ai.molecule.runtime.agent.AgentTurn;
import ai.molecule.runtime.agent.LangChainAgent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptedChatModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode yaml(String text) throws Exception {
        return new YAMLMapper().readTree(text);
    }

    private static AgentTurn turn(String text, AgentTurn.ChatTurn... history) {
        return new AgentTurn("t", "c", text, List.of(history), Map.of());
    }

    private static LangChainAgent agent(ScriptedChatModel model, EchoTool... tools) {
        return new LangChainAgent(ModelChain.of(new ModelCandidate("scripted", model, model)), "system", List.of(tools), 5);
    }

    @Test
    void echoesWithoutAScript() throws Exception {
        for (JsonNode script : new JsonNode[]{null, JSON.readTree("{}"), JSON.readTree("null")}) {
            var model = new ScriptedChatModel(script);
            assertThat(model.chat("hello there")).isEqualTo("echo: hello there");
        }
    }

    @Test
    void theFirstMatchingRuleAnswers() throws Exception {
        var model = new ScriptedChatModel(yaml("""
                rules:
                  - match: "(?i)status"
                    reply: "All green."
                  - match: "STATUS"
                    reply: "never reached for status"
                  - match: "deploy"
                    reply: "Deploying {{input}}"
                steps:
                  - reply: "default"
                """));

        assertThat(model.chat("What is the STATUS?")).isEqualTo("All green.");
        assertThat(model.chat("deploy v2")).isEqualTo("Deploying deploy v2");
        assertThat(model.chat("something else")).isEqualTo("default");
    }

    @Test
    void stepsCallAToolThenQuoteItsResult() throws Exception {
        var model = new ScriptedChatModel(yaml("""
                steps:
                  - tool: delegate_task
                    args: {workspace_id: "Dev Lead", task: "Build the login page: {{input}}"}
                  - reply: "Done. Dev Lead says: {{tool_result}}"
                """));
        var tool = new EchoTool("delegate_task", "dev lead got ");

        AgentReply reply = agent(model, tool).respond(turn("with \"SSO\""), c -> { });

        JsonNode args = JSON.readTree(tool.calls().getFirst());
        assertThat(args.path("workspace_id").asText()).isEqualTo("Dev Lead");
        assertThat(args.path("task").asText()).isEqualTo("Build the login page: with \"SSO\"");
        assertThat(reply.text()).isEqualTo("Done. Dev Lead says: dev lead got " + tool.calls().getFirst());
        assertThat(reply.toolTrace()).extracting(AgentReply.ToolCall::tool).containsExactly("delegate_task");
    }

    @Test
    void aRuleCanCallAToolAndItsResultIsTheAnswerWhenNoStepsFollow() throws Exception {
        var model = new ScriptedChatModel(yaml("""
                rules:
                  - match: "weather"
                    tool: lookup
                    args: {q: "{{input}}"}
                """));
        var tool = new EchoTool("lookup", "sunny for ");

        AgentReply reply = agent(model, tool).respond(turn("weather in Oslo"), c -> { });

        assertThat(tool.calls()).hasSize(1);
        assertThat(reply.text()).isEqualTo("sunny for {\"q\":\"weather in Oslo\"}");
        assertThat(agent(model).respond(turn("hi"), c -> { }).text()).isEqualTo("echo: hi");
    }

    @Test
    void priorAgentTurnsAdvanceTheStepsAndTheLastOneRepeats() throws Exception {
        var model = new ScriptedChatModel(yaml("""
                steps:
                  - reply: "first"
                  - reply: "second"
                """));
        var user = new AgentTurn.ChatTurn("user", "a");

        assertThat(agent(model).respond(turn("a"), c -> { }).text()).isEqualTo("first");
        assertThat(agent(model).respond(turn("b", user, new AgentTurn.ChatTurn("agent", "first")), c -> { }).text()).isEqualTo("second");
        assertThat(agent(model).respond(turn("c", user, new AgentTurn.ChatTurn("agent", "first"), user,
                new AgentTurn.ChatTurn("agent", "second")), c -> { }).text()).isEqualTo("second");
    }

    @Test
    void concurrentConversationsDoNotInterfere() throws Exception {
        var model = new ScriptedChatModel(yaml("""
                steps:
                  - tool: lookup
                    args: {q: "{{input}}"}
                  - reply: "{{input}} -> {{tool_result}}"
                """));
        var tool = new EchoTool("lookup", "");
        var agent = agent(model, tool);

        List<CompletableFuture<String>> replies = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                String input = "task-" + i;
                replies.add(CompletableFuture.supplyAsync(() -> respond(agent, input), pool));
            }
        }

        assertThat(replies).extracting(CompletableFuture::join)
                .containsExactlyElementsOf(IntStream.range(0, 40)
                        .mapToObj(i -> "task-" + i + " -> {\"q\":\"task-" + i + "\"}").toList());
        assertThat(tool.calls()).hasSize(40);
    }

    private static String respond(LangChainAgent agent, String input) {
        try {
            return agent.respond(turn(input), c -> { }).text();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void streamsTheReplyWordByWord() throws Exception {
        var model = new ScriptedChatModel(yaml("steps: [{reply: \"All systems  go, {{input}}\"}]"));
        List<String> chunks = new ArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat(ChatRequest.builder().messages(UserMessage.from("captain")).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                chunks.add(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });

        assertThat(chunks).containsExactly("All ", "systems  ", "go, ", "captain");
        assertThat(done.join().aiMessage().text()).isEqualTo(String.join("", chunks));
    }

    @Test
    void reportsWordCountsAsTokenUsage() {
        var model = new ScriptedChatModel(null);
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("one two"), AiMessage.from("three"), UserMessage.from("four five six"))
                .build());

        assertThat(response.aiMessage().text()).isEqualTo("echo: four five six");
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(6);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(4);
    }

    @Test
    void placeholdersInsideTheInputAreNotExpanded() {
        assertThat(new ScriptedChatModel(null).chat("say {{tool_result}}")).isEqualTo("echo: say {{tool_result}}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, 2]                                  | script must be an object",
            "{steps: {reply: x}}                     | steps: must be a list",
            "{steps: [{}]}                           | steps[0] needs exactly one of reply: or tool:",
            "{steps: [{reply: a, tool: b}]}          | steps[0] needs exactly one of reply: or tool:",
            "{steps: [{tool: b, args: [1]}]}         | steps[0] args: must be an object",
            "{rules: [{reply: a}]}                   | rules[0] needs match:",
            "{rules: [{match: '(', reply: a}]}       | rules[0] match: is not a valid regex",
            "{steps: [x]}                            | steps[0] must be an object"})
    void badScriptsAreRejectedClearly(String script, String message) {
        assertThatThrownBy(() -> new ScriptedChatModel(yaml(script)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
