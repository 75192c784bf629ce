package ai.molecule.runtime;

import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.A2aResponse;
import ai.molecule.runtime.a2a.AgentCardSpec;
import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.agent.AgentReply;
import ai.molecule.runtime.agent.AgentTool;
import ai.molecule.runtime.agent.ModelSettings;
import ai.molecule.runtime.files.WorkspaceDir;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WorkspaceRuntimeTest {
    @RegisterExtension
    static WireMockExtension platform = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UUID SELF = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final String SELF_URL = "http://127.0.0.1:18000";
    private static final String A2A_SELF = "/workspaces/" + SELF + "/a2a";

    @TempDir
    Path dir;
    private final FakeComponents components = new FakeComponents();

    /** Records what the runtime built; the agent echoes, the endpoint answers a fixed JSON. */
    static final class FakeComponents implements Components {
        ModelSettings model;
        String systemPrompt;
        List<AgentTool> tools;
        int maxToolIterations;
        AgentCardSpec card;
        RuntimeException agentFailure;

        @Override
        public Agent agent(ModelSettings model, String systemPrompt, List<AgentTool> tools, int maxToolIterations,
                           Map<String, String> env) {
            if (agentFailure != null) throw agentFailure;
            this.model = model;
            this.systemPrompt = systemPrompt;
            this.tools = tools;
            this.maxToolIterations = maxToolIterations;
            return (turn, chunks) -> new AgentReply("echo " + turn.text(), List.of(), null);
        }

        @Override
        public A2aEndpoint endpoint(AgentCardSpec card, Agent agent, RuntimeStats stats, WorkspaceDir workspace) {
            this.card = card;
            return new A2aEndpoint() {
                @Override
                public A2aResponse handle(String body, Map<String, String> headers) {
                    return new A2aResponse.Json(200, "{}");
                }

                @Override
                public String agentCardJson() {
                    return "{\"name\":\"" + card.name() + "\"}";
                }
            };
        }
    }

    @BeforeEach
    void platformStubs() {
        platform.stubFor(post("/registry/register").willReturn(okJson("{\"status\":\"registered\",\"auth_token\":\"tok-first\"}")));
        platform.stubFor(post("/registry/heartbeat").willReturn(okJson("{\"status\":\"ok\"}")));
        platform.stubFor(get("/workspaces/" + SELF + "/instructions/resolve").willReturn(okJson("{\"instructions\":\"Be brief\"}")));
        platform.stubFor(get("/registry/" + SELF + "/peers").willReturn(okJson("[]")));
        platform.stubFor(post(A2A_SELF).willReturn(okJson("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{\"parts\":[]}}")));
    }

    private RuntimeSettings settings(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("HEARTBEAT_INTERVAL_SECONDS", "0.2"));
        env.putAll(extraEnv);
        return new RuntimeSettings(SELF, platform.baseUrl(), dir, env, SELF_URL, HttpClient.newHttpClient());
    }

    private void config(String yaml) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    private int selfMessages(String text) {
        return platform.findAll(postRequestedFor(urlEqualTo(A2A_SELF))
                .withRequestBody(matchingJsonPath("$.params.message.parts[0].text", equalTo(text)))).size();
    }

    @Test
    void startsRegistersBeatsAndSendsTheInitialPromptOnce() throws Exception {
        Files.createDirectories(dir.resolve("skills/triage"));
        Files.writeString(dir.resolve("skills/triage/SKILL.md"), "---\ndescription: Sorts issues\n---\nLabel them.");
        config("""
                name: Support
                description: Answers tickets
                version: 1.2.0
                model: scripted
                fallback_models: [openai:gpt-4o]
                skills: [triage]
                system_prompt: You answer support tickets.
                initial_prompt: Read the open tickets
                max_tool_iterations: 3
                a2a: {streaming: false}
                """);

        try (WorkspaceRuntime rt = WorkspaceRuntime.start(settings(Map.of()), components)) {
            assertThat(rt.endpoint().agentCardJson()).isEqualTo("{\"name\":\"Support\"}");
            assertThat(components.card).isEqualTo(new AgentCardSpec("Support", "Answers tickets", "1.2.0", SELF_URL,
                    List.of(new AgentCardSpec.Skill("triage", "triage", "Sorts issues", List.of())), false));
            assertThat(components.model).isEqualTo(new ModelSettings("scripted", List.of("openai:gpt-4o"), null));
            assertThat(components.maxToolIterations).isEqualTo(3);
            assertThat(components.tools).hasSize(9);
            assertThat(components.systemPrompt).containsSubsequence("Be brief", "You answer support tickets.", "Label them.");
            assertThat(rt.systemPrompt()).isEqualTo(components.systemPrompt);

            platform.verify(postRequestedFor(urlEqualTo("/registry/register")).withHeader("Authorization", absent())
                    .withRequestBody(equalToJson("""
                            {"id":"%s","url":"%s","agent_card":{"name":"Support","description":"Answers tickets",
                             "version":"1.2.0","url":"%s","model":"scripted","simulated":true,
                             "skills":[{"id":"triage","name":"triage","description":"Sorts issues","tags":[]}],
                             "capabilities":{"streaming":false,"pushNotifications":false}}}""".formatted(SELF, SELF_URL, SELF_URL))));
            assertThat(Files.readString(dir.resolve(".auth_token"))).isEqualTo("tok-first");
            await().atMost(Duration.ofSeconds(5)).until(() -> selfMessages("Read the open tickets") == 1);
            platform.verify(postRequestedFor(urlEqualTo(A2A_SELF)).withHeader("X-Workspace-ID", equalTo(SELF.toString()))
                    .withHeader("Authorization", equalTo("Bearer tok-first")));
            await().atMost(Duration.ofSeconds(5)).until(() -> platform.findAll(postRequestedFor(urlEqualTo("/registry/heartbeat"))
                    .withHeader("Authorization", equalTo("Bearer tok-first"))).size() >= 2);
            assertThat(Files.exists(dir.resolve(".initial_prompt_done"))).isTrue();
        }

        platform.stubFor(post("/registry/register").willReturn(okJson("{\"status\":\"registered\"}")));
        try (WorkspaceRuntime ignored = WorkspaceRuntime.start(settings(Map.of()), new FakeComponents())) {
            platform.verify(postRequestedFor(urlEqualTo("/registry/register")).withHeader("Authorization", equalTo("Bearer tok-first")));
            await().atMost(Duration.ofSeconds(5)).until(() -> platform.findAll(postRequestedFor(urlEqualTo("/registry/heartbeat"))
                    .withHeader("Authorization", equalTo("Bearer tok-first"))).size() >= 4);
            assertThat(selfMessages("Read the open tickets")).isEqualTo(1);
        }
        assertThat(Files.readString(dir.resolve(".auth_token"))).isEqualTo("tok-first");
    }

    @Test
    void theMarkerIsWrittenBeforeTheInitialPromptIsSent() throws Exception {
        platform.stubFor(post(A2A_SELF).willReturn(aResponse().withStatus(500).withFixedDelay(1500)
                .withBody("{\"error\":\"agent crashed\"}")));
        config("initial_prompt: crash please\n");

        try (WorkspaceRuntime ignored = WorkspaceRuntime.start(settings(Map.of()), components)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> selfMessages("crash please") == 1);
            assertThat(Files.exists(dir.resolve(".initial_prompt_done"))).isTrue();
        }
    }

    @Test
    void missingRequiredEnvStopsTheStartBeforeAnyPlatformCall() throws Exception {
        config("runtime_config:\n  required_env: [OPENAI_API_KEY, GITHUB_TOKEN, SLACK_TOKEN]\n");

        assertThatThrownBy(() -> WorkspaceRuntime.start(settings(Map.of("GITHUB_TOKEN", "x", "SLACK_TOKEN", " ")), components))
                .isInstanceOf(RuntimeStartException.class)
                .hasMessage("missing required environment variables: OPENAI_API_KEY, SLACK_TOKEN");
        assertThat(platform.getAllServeEvents()).isEmpty();
        assertThat(components.card).isNull();
    }

    @Test
    void badConfigAndModelFailuresAreStartErrors() throws Exception {
        config("tier: high\n");
        assertThatThrownBy(() -> WorkspaceRuntime.start(settings(Map.of()), components))
                .isInstanceOf(RuntimeStartException.class).hasMessage("config.yaml: 'tier' must be an integer");

        config("model: nosuch:model\n");
        components.agentFailure = new IllegalArgumentException("unknown provider 'nosuch'");
        assertThatThrownBy(() -> WorkspaceRuntime.start(settings(Map.of()), components))
                .isInstanceOf(RuntimeStartException.class)
                .hasMessage("cannot set up the model nosuch:model: unknown provider 'nosuch'");
    }

    @Test
    void theIdlePromptWaitsUntilTheAgentHasNoTask() throws Exception {
        config("idle_prompt: Check the backlog\nidle_interval_seconds: 1\n");

        try (WorkspaceRuntime rt = WorkspaceRuntime.start(settings(Map.of()), components)) {
            rt.stats().taskStarted("t1", "busy with a customer");
            await().during(Duration.ofMillis(1800)).atMost(Duration.ofSeconds(3)).until(() -> selfMessages("Check the backlog") == 0);
            rt.stats().taskEnded("t1", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> selfMessages("Check the backlog") >= 1);
        }
    }

    @Test
    void anUnreachablePlatformDoesNotStopTheRuntime() throws Exception {
        config("name: Offline\n");
        RuntimeSettings s = new RuntimeSettings(SELF, "http://127.0.0.1:1", dir, Map.of(), SELF_URL, HttpClient.newHttpClient());

        try (WorkspaceRuntime rt = WorkspaceRuntime.start(s, components)) {
            assertThat(rt.endpoint()).isNotNull();
            assertThat(rt.systemPrompt()).doesNotContain("Platform Instructions");
        }
    }
}
