package ai.molecule.runtime.a2a;

import ai.molecule.runtime.RuntimeStats;
import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.agent.AgentTurn;
import ai.molecule.runtime.files.WorkspaceDir;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static ai.molecule.runtime.a2a.A2aTestClient.message;
import static ai.molecule.runtime.a2a.A2aTestClient.textMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class A2aServerTest {
    static final AgentCardSpec CARD = new AgentCardSpec("PM", "Plans the work", "1.2.0", "http://127.0.0.1:9000/",
            List.of(new AgentCardSpec.Skill("planning", "Planning", "Breaks work down", List.of("pm"))), true);

    /** No test here attaches a file the runtime can see; {@link A2aFilesTest} does. */
    static final WorkspaceDir NO_FILES = new WorkspaceDir(java.nio.file.Path.of("/nonexistent-workspace"));

    private final RuntimeStats stats = new RuntimeStats();

    private A2aTestClient client(Agent agent) {
        return new A2aTestClient(new A2aServer(CARD, agent, stats, NO_FILES));
    }

    @ParameterizedTest(name = "{0} with {1} parts")
    @CsvSource(delimiter = '|', value = {
            "message/send | {\"kind\":\"text\",\"text\":\"hi\"}",
            "message/send | {\"type\":\"text\",\"text\":\"hi\"}",
            "message/send | {\"text\":\"hi\"}",
            "SendMessage  | {\"text\":\"hi\"}",
            "SendMessage  | {\"kind\":\"text\",\"text\":\"hi\"}"})
    void bothGenerationsAndPartShapesGetTheReply(String method, String part) {
        JsonNode result = client(new Agents.Echo()).call(method, message("[" + part + "]")).path("result");

        if (method.contains("/")) { // 0.3: the final agent message, as the original returns
            assertThat(result.path("kind").asText()).isEqualTo("message");
            assertThat(result.path("role").asText()).isEqualTo("agent");
            assertThat(result.at("/parts/0/kind").asText()).isEqualTo("text");
            assertThat(result.at("/parts/0/text").asText()).isEqualTo("echo: hi");
            assertThat(result.path("taskId").asText()).isNotBlank();
        } else { // 1.0: the task, wrapped
            JsonNode task = result.path("task");
            assertThat(task.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
            assertThat(task.at("/status/message/role").asText()).isEqualTo("ROLE_AGENT");
            assertThat(task.at("/status/message/parts/0/text").asText()).isEqualTo("echo: hi");
            assertThat(task.at("/status/message/parts/0").has("kind")).isFalse();
            assertThat(task.at("/artifacts/0/parts/0/text").asText()).isEqualTo("echo: hi");
            assertThat(task.at("/history/0/role").asText()).isEqualTo("ROLE_USER");
        }
    }

    @Test
    void theTurnCarriesJoinedTextHistoryAndMetadata() {
        var agent = new Agents.Echo();
        client(agent).call("message/send", """
                {"message":{"role":"user","messageId":"m-9","contextId":"ctx-1","metadata":{"source":"canvas"},
                  "parts":[{"kind":"text","text":"line one"},{"kind":"file","file":{"uri":"workspace:/a"}},{"kind":"text","text":"line two"}]},
                 "metadata":{"parent_task_id":"p-1","history":[
                   {"role":"user","parts":[{"kind":"text","text":"earlier question"}]},
                   {"role":"agent","parts":[{"type":"text","text":"earlier answer"}]}]}}""");

        AgentTurn turn = agent.lastTurn.get();
        assertThat(turn.text()).isEqualTo("line one\nline two");
        assertThat(turn.contextId()).isEqualTo("ctx-1");
        assertThat(turn.taskId()).isNotBlank();
        assertThat(turn.history()).containsExactly(new AgentTurn.ChatTurn("user", "earlier question"),
                new AgentTurn.ChatTurn("agent", "earlier answer"));
        assertThat(turn.metadata()).containsEntry("source", "canvas").containsEntry("parent_task_id", "p-1");
    }

    @Test
    void toolTraceAndUsageTravelInTheReplyMetadata() {
        JsonNode result = client(Agents.streaming()).call("message/send", textMessage("go")).path("result");

        assertThat(result.at("/parts/0/text").asText()).isEqualTo("Hello");
        assertThat(result.at("/metadata/tool_trace/0/tool").asText()).isEqualTo("search");
        assertThat(result.at("/metadata/tool_trace/0/input").asText()).isEqualTo("{\"q\":1}");
        assertThat(result.at("/metadata/tool_trace/0/output_preview").asText()).isEqualTo("found");
        assertThat(result.at("/metadata/usage/input_tokens").asLong()).isEqualTo(12);
        assertThat(result.at("/metadata/usage/output_tokens").isIntegralNumber()).isTrue();
    }

    @Test
    void returnImmediatelyAnswersTheWorkingTaskAt10AndBlockingFalseAt03() throws Exception {
        var agent = new Agents.Sleeper();
        A2aTestClient c = client(agent);

        JsonNode v10 = c.call("SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"a\",\"parts\":[{\"text\":\"x\"}]},"
                + "\"configuration\":{\"returnImmediately\":true}}").path("result").path("task");
        assertThat(v10.at("/status/state").asText()).isIn("TASK_STATE_WORKING", "TASK_STATE_SUBMITTED");

        JsonNode v03 = c.call("message/send", "{\"message\":{\"role\":\"user\",\"messageId\":\"b\",\"parts\":[{\"kind\":\"text\",\"text\":\"x\"}]},"
                + "\"configuration\":{\"blocking\":false}}").path("result");
        assertThat(v03.path("kind").asText()).isEqualTo("task");
        assertThat(v03.at("/status/state").asText()).isIn("working", "submitted");
        assertThat(agent.started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stats.activeTasks()).isEqualTo(2);
    }

    @Test
    void a10SendWithoutConfigurationWaitsForTheFinalResult() {
        JsonNode task = client(new Agents.Echo()).call("SendMessage",
                "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"a\",\"parts\":[{\"text\":\"x\"}]}}").at("/result/task");
        assertThat(task.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
    }

    @Test
    void a03StreamSendsWorkingThenChunksThenTheFinalMessage() throws Exception {
        List<JsonNode> events = client(Agents.streaming()).stream("message/stream", textMessage("go")).all();

        assertThat(events).extracting(e -> e.at("/result/kind").asText())
                .containsExactly("status-update", "artifact-update", "artifact-update", "message", "status-update");
        assertThat(events.get(0).at("/result/status/state").asText()).isEqualTo("working");
        assertThat(events.get(0).at("/result/final").asBoolean()).isFalse();
        assertThat(events.get(1).at("/result/artifact/parts/0/text").asText()).isEqualTo("Hel");
        assertThat(events.get(1).at("/result/append").asBoolean()).isFalse();
        assertThat(events.get(2).at("/result/artifact/parts/0/text").asText()).isEqualTo("lo");
        assertThat(events.get(2).at("/result/append").asBoolean()).isTrue();
        assertThat(events.get(2).at("/result/artifact/artifactId").asText())
                .isEqualTo(events.get(1).at("/result/artifact/artifactId").asText());
        assertThat(events.get(3).at("/result/parts/0/text").asText()).isEqualTo("Hello");
        assertThat(events.get(4).at("/result/status/state").asText()).isEqualTo("completed");
        assertThat(events.get(4).at("/result/final").asBoolean()).isTrue();
        assertThat(events).allSatisfy(e -> assertThat(e.path("id").asInt()).isEqualTo(1));
    }

    @Test
    void a10StreamOpensWithTheTaskAndEndsWithTheCompletedStatus() throws Exception {
        List<JsonNode> events = client(Agents.streaming()).stream("SendStreamingMessage",
                "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"a\",\"parts\":[{\"text\":\"go\"}]}}").all();

        assertThat(events).extracting(e -> e.path("result").fieldNames().next())
                .containsExactly("task", "statusUpdate", "artifactUpdate", "artifactUpdate", "statusUpdate");
        assertThat(events.get(0).at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_SUBMITTED");
        assertThat(events.get(1).at("/result/statusUpdate/status/state").asText()).isEqualTo("TASK_STATE_WORKING");
        assertThat(events.get(3).at("/result/artifactUpdate/append").asBoolean()).isTrue();
        JsonNode last = events.get(4).at("/result/statusUpdate");
        assertThat(last.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(last.at("/status/message/parts/0/text").asText()).isEqualTo("Hello");
        assertThat(last.has("final")).isFalse();
    }

    @Test
    void getTaskWorksAfterTheReplyInBothGenerations() {
        A2aTestClient c = client(new Agents.Echo());
        String taskId = c.call("message/send", textMessage("hi")).at("/result/taskId").asText();

        JsonNode v03 = c.call("tasks/get", "{\"id\":\"" + taskId + "\"}").path("result");
        assertThat(v03.path("kind").asText()).isEqualTo("task");
        assertThat(v03.at("/status/state").asText()).isEqualTo("completed");
        assertThat(v03.path("history")).hasSize(2);
        assertThat(v03.at("/history/1/parts/0/text").asText()).isEqualTo("echo: hi");

        JsonNode v10 = c.call("GetTask", "{\"id\":\"" + taskId + "\",\"historyLength\":1}").path("result");
        assertThat(v10.path("id").asText()).isEqualTo(taskId);
        assertThat(v10.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(v10.path("history")).hasSize(1);
        assertThat(v10.at("/history/0/role").asText()).isEqualTo("ROLE_AGENT");
    }

    @Test
    void listTasksIsNewestFirstAndFiltersByContext() {
        A2aTestClient c = client(new Agents.Echo());
        String[] ids = new String[3];
        String[] contexts = {"ctx-a", "ctx-b", "ctx-a"};
        for (int i = 0; i < 3; i++) {
            ids[i] = c.call("message/send", "{\"message\":{\"role\":\"user\",\"messageId\":\"m" + i + "\",\"contextId\":\""
                    + contexts[i] + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"n" + i + "\"}]}}").at("/result/taskId").asText();
        }

        JsonNode all = c.call("ListTasks", "{}").path("result");
        assertThat(all.path("tasks")).extracting(t -> t.path("id").asText()).containsExactly(ids[2], ids[1], ids[0]);
        assertThat(all.path("totalSize").asInt()).isEqualTo(3);
        assertThat(all.path("nextPageToken").asText()).isEmpty();

        JsonNode inA = c.call("tasks/list", "{\"contextId\":\"ctx-a\"}").path("result");
        assertThat(inA.path("tasks")).extracting(t -> t.path("id").asText()).containsExactly(ids[2], ids[0]);
        assertThat(inA.at("/tasks/0/kind").asText()).isEqualTo("task");

        JsonNode paged = c.call("ListTasks", "{\"pageSize\":2}").path("result");
        assertThat(paged.path("tasks")).hasSize(2);
        JsonNode rest = c.call("ListTasks", "{\"pageSize\":2,\"pageToken\":\"" + paged.path("nextPageToken").asText() + "\"}")
                .path("result");
        assertThat(rest.path("tasks")).extracting(t -> t.path("id").asText()).containsExactly(ids[0]);
    }

    @Test
    void cancelInterruptsTheRunningAgentAndACanceledTaskCannotBeCanceledAgain() throws Exception {
        var agent = new Agents.Sleeper();
        A2aTestClient c = client(agent);
        String taskId = c.call("SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"a\",\"parts\":[{\"text\":\"x\"}]},"
                + "\"configuration\":{\"returnImmediately\":true}}").at("/result/task/id").asText();
        assertThat(agent.started.await(5, TimeUnit.SECONDS)).isTrue();

        JsonNode canceled = c.call("CancelTask", "{\"id\":\"" + taskId + "\"}").path("result");

        assertThat(canceled.at("/status/state").asText()).isEqualTo("TASK_STATE_CANCELED");
        await().atMost(Duration.ofSeconds(5)).untilTrue(agent.interrupted);
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.activeTasks() == 0);
        assertThat(stats.snapshot().errorRate()).isZero();
        assertThat(c.call("tasks/get", "{\"id\":\"" + taskId + "\"}").at("/result/status/state").asText()).isEqualTo("canceled");
        assertThat(c.call("tasks/cancel", "{\"id\":\"" + taskId + "\"}").at("/error/code").asInt()).isEqualTo(-32002);
    }

    @Test
    void cancellingAFinishedTaskIsNotCancelable() {
        A2aTestClient c = client(new Agents.Echo());
        String taskId = c.call("message/send", textMessage("hi")).at("/result/taskId").asText();

        JsonNode error = c.call("CancelTask", "{\"id\":\"" + taskId + "\"}").path("error");

        assertThat(error.path("code").asInt()).isEqualTo(-32002);
        assertThat(error.path("message").asText()).contains("completed");
    }

    @Test
    void subscribeFollowsARunningTaskUntilItEnds() throws Exception {
        var agent = new Agents.Sleeper();
        A2aTestClient c = client(agent);
        String taskId = c.call("message/send", "{\"message\":{\"role\":\"user\",\"messageId\":\"a\",\"parts\":[{\"kind\":\"text\",\"text\":\"x\"}]},"
                + "\"configuration\":{\"blocking\":false}}").at("/result/id").asText();
        assertThat(agent.started.await(5, TimeUnit.SECONDS)).isTrue();

        A2aTestClient.StreamReader stream = c.stream("SubscribeToTask", "{\"id\":\"" + taskId + "\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> !stream.soFar().isEmpty());
        c.call("CancelTask", "{\"id\":\"" + taskId + "\"}");
        List<JsonNode> events = stream.all();

        assertThat(events.get(0).at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_WORKING");
        assertThat(events.getLast().at("/result/statusUpdate/status/state").asText()).isEqualTo("TASK_STATE_CANCELED");
        assertThat(c.call("tasks/resubscribe", "{\"id\":\"" + taskId + "\"}").at("/error/code").asInt()).isEqualTo(-32004);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"GetTask", "tasks/get", "CancelTask", "tasks/cancel", "SubscribeToTask"})
    void anUnknownTaskIsTaskNotFound(String method) {
        JsonNode answer = client(new Agents.Echo()).call(method, "{\"id\":\"no-such-task\"}");
        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(answer.path("id").asInt()).isEqualTo(1);
    }

    @Test
    void anAgentExceptionIsAnAgentErrorMessageAndCountsInTheErrorRate() {
        A2aTestClient c = client(Agents.failing("model quota exceeded"));

        JsonNode v03 = c.call("message/send", textMessage("hi")).path("result");
        JsonNode v10 = c.call("SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"a\",\"parts\":[{\"text\":\"x\"}]}}")
                .at("/result/task");

        assertThat(v03.path("kind").asText()).isEqualTo("message");
        assertThat(v03.at("/parts/0/text").asText()).isEqualTo("Agent error: model quota exceeded");
        assertThat(v10.at("/status/state").asText()).isEqualTo("TASK_STATE_FAILED");
        assertThat(v10.at("/status/message/parts/0/text").asText()).isEqualTo("Agent error: model quota exceeded");
        RuntimeStats.Beat beat = stats.snapshot();
        assertThat(beat.errorRate()).isEqualTo(1.0);
        assertThat(beat.sampleError()).isEqualTo("model quota exceeded");
        assertThat(beat.activeTasks()).isZero();
    }

    @Test
    void aMessageWithoutTextGetsTheUpstreamReplyWithoutCallingTheAgent() {
        var agent = new Agents.Echo();
        JsonNode result = client(agent).call("message/send",
                message("[{\"kind\":\"file\",\"file\":{\"uri\":\"workspace:/workspace/a.txt\"}}]")).path("result");

        assertThat(result.at("/parts/0/text").asText()).isEqualTo("Error: message contained no text content.");
        assertThat(agent.lastTurn.get()).isNull();
    }

    @Test
    void theCardHasThe10ShapeAndWhat03ClientsRead() throws Exception {
        JsonNode card = A2aTestClient.JSON.readTree(new A2aServer(CARD, new Agents.Echo(), stats, NO_FILES).agentCardJson());

        assertThat(card.path("name").asText()).isEqualTo("PM");
        assertThat(card.path("description").asText()).isEqualTo("Plans the work");
        assertThat(card.path("version").asText()).isEqualTo("1.2.0");
        assertThat(card.at("/supportedInterfaces/0/url").asText()).isEqualTo("http://127.0.0.1:9000/");
        assertThat(card.at("/supportedInterfaces/0/protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(card.at("/supportedInterfaces/0/protocolVersion").asText()).isEqualTo("1.0");
        assertThat(card.at("/capabilities/streaming").asBoolean()).isTrue();
        assertThat(card.at("/capabilities/pushNotifications").asBoolean(true)).isFalse();
        assertThat(card.at("/skills/0/id").asText()).isEqualTo("planning");
        assertThat(card.at("/skills/0/name").asText()).isEqualTo("Planning");
        assertThat(card.at("/skills/0/description").asText()).isEqualTo("Breaks work down");
        assertThat(card.at("/skills/0/tags/0").asText()).isEqualTo("pm");
        assertThat(card.path("defaultInputModes")).extracting(JsonNode::asText).containsExactly("text/plain", "application/json");
        assertThat(card.path("defaultOutputModes")).extracting(JsonNode::asText).containsExactly("text/plain", "application/json");
        assertThat(card.path("url").asText()).isEqualTo("http://127.0.0.1:9000/");
        assertThat(card.path("protocolVersion").asText()).isEqualTo("0.3.0");
        assertThat(card.path("preferredTransport").asText()).isEqualTo("JSONRPC");
    }
}
