package ai.molecule.runtime.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformClientTest {
    @RegisterExtension
    static WireMockExtension platform = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UUID SELF = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PlatformClient client() {
        return new PlatformClient(platform.baseUrl(), SELF, HttpClient.newHttpClient(), new TokenStore(dir));
    }

    @Test
    void firstRegistrationSavesTheTokenPrivatelyAndLaterCallsSendIt() throws Exception {
        platform.stubFor(post("/registry/register").willReturn(okJson("{\"status\":\"registered\",\"auth_token\":\"tok-1\"}")));
        platform.stubFor(get("/workspaces/" + SELF).willReturn(okJson("{\"id\":\"" + SELF + "\"}")));

        PlatformClient c = client();
        c.register("http://127.0.0.1:9000", JSON.readTree("{\"name\":\"W\"}"));
        c.workspaceInfo();

        Path file = dir.resolve(".auth_token");
        assertThat(Files.readString(file)).isEqualTo("tok-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.exists(dir.resolve(".auth_token.tmp"))).isFalse();
        platform.verify(postRequestedFor(urlEqualTo("/registry/register"))
                .withHeader("Authorization", absent())
                .withHeader("X-Workspace-ID", equalTo(SELF.toString()))
                .withRequestBody(equalToJson("{\"id\":\"" + SELF + "\",\"url\":\"http://127.0.0.1:9000\",\"agent_card\":{\"name\":\"W\"}}")));
        platform.verify(getRequestedFor(urlEqualTo("/workspaces/" + SELF)).withHeader("Authorization", equalTo("Bearer tok-1")));
    }

    @Test
    void aRestartReusesTheSavedTokenAndKeepsItWhenNoNewOneComes() throws Exception {
        Files.writeString(dir.resolve(".auth_token"), "tok-saved\n");
        platform.stubFor(post("/registry/register").willReturn(okJson("{\"status\":\"registered\"}")));

        client().register("http://127.0.0.1:9000", JSON.createObjectNode());

        platform.verify(postRequestedFor(urlEqualTo("/registry/register")).withHeader("Authorization", equalTo("Bearer tok-saved")));
        assertThat(Files.readString(dir.resolve(".auth_token"))).isEqualTo("tok-saved\n");
        assertThat(new TokenStore(dir).token()).contains("tok-saved");
    }

    @Test
    void a401ReReadsTheTokenFileAndRetriesOnce() throws Exception {
        Files.writeString(dir.resolve(".auth_token"), "old");
        PlatformClient c = client();
        platform.stubFor(get("/workspaces/" + SELF).withHeader("Authorization", equalTo("Bearer old"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid token\"}")));
        platform.stubFor(get("/workspaces/" + SELF).withHeader("Authorization", equalTo("Bearer new"))
                .willReturn(okJson("{\"name\":\"W\"}")));
        Files.writeString(dir.resolve(".auth_token"), "new");

        assertThat(c.workspaceInfo().path("name").asText()).isEqualTo("W");
        platform.verify(2, getRequestedFor(urlEqualTo("/workspaces/" + SELF)));
    }

    @Test
    void a401WithAnUnchangedTokenIsNotRetried() throws IOException {
        Files.writeString(dir.resolve(".auth_token"), "old");
        platform.stubFor(get("/workspaces/" + SELF).willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid token\"}")));

        assertThatThrownBy(() -> client().workspaceInfo()).isInstanceOf(PlatformException.class).hasMessage("invalid token");
        platform.verify(1, getRequestedFor(urlEqualTo("/workspaces/" + SELF)));
    }

    @Test
    void errorsCarryThePlatformsText() {
        platform.stubFor(get("/workspaces/" + SELF + "/delegations")
                .willReturn(aResponse().withStatus(403).withBody("{\"error\":\"not your workspace\"}")));
        platform.stubFor(get("/workspaces/" + SELF + "/approvals").willReturn(aResponse().withStatus(404).withBody("404 page not found")));

        assertThatThrownBy(() -> client().delegations()).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.status()).isEqualTo(403)).hasMessage("not your workspace");
        assertThatThrownBy(() -> client().approvals()).hasMessage("platform answered HTTP 404: 404 page not found");
    }

    @Test
    void anUnreachablePlatformIsStatusZero() {
        PlatformClient c = new PlatformClient("http://127.0.0.1:1", SELF, HttpClient.newHttpClient(), new TokenStore(dir));
        assertThatThrownBy(c::workspaceInfo).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.status()).isZero()).hasMessageContaining("platform unreachable at http://127.0.0.1:1");
    }

    @Test
    void a2aSendsAJsonRpcMessageSendAsThisWorkspace() throws Exception {
        UUID target = UUID.randomUUID();
        platform.stubFor(post("/workspaces/" + target + "/a2a").willReturn(okJson(
                "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{\"kind\":\"message\",\"role\":\"agent\",\"parts\":[{\"kind\":\"text\",\"text\":\"done\"}]}}")));

        A2aReply reply = client().a2a(target, "do it", Duration.ofSeconds(42));

        assertThat(reply.queued()).isFalse();
        assertThat(reply.rpcError()).isNull();
        assertThat(reply.text()).isEqualTo("done");
        platform.verify(postRequestedFor(urlEqualTo("/workspaces/" + target + "/a2a"))
                .withHeader("X-Workspace-ID", equalTo(SELF.toString()))
                .withHeader("X-Timeout", equalTo("42"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.jsonrpc", equalTo("2.0")))
                .withRequestBody(matchingJsonPath("$.method", equalTo("message/send")))
                .withRequestBody(matchingJsonPath("$.params.message.role", equalTo("user")))
                .withRequestBody(matchingJsonPath("$.params.message.messageId"))
                .withRequestBody(equalToJson("{\"params\":{\"message\":{\"parts\":[{\"kind\":\"text\",\"text\":\"do it\"}]}}}", true, true)));
    }

    @Test
    void replyTextReadsEveryResultShape() throws Exception {
        String[][] cases = {
                {"{\"kind\":\"message\",\"parts\":[{\"kind\":\"text\",\"text\":\"a\"},{\"kind\":\"text\",\"text\":\"b\"}]}", "a\nb"},
                {"{\"message\":{\"role\":\"ROLE_AGENT\",\"parts\":[{\"text\":\"v1\"}]}}", "v1"},
                {"{\"task\":{\"artifacts\":[{\"parts\":[{\"text\":\"art\"}]}],\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}", "art"},
                {"{\"kind\":\"task\",\"status\":{\"state\":\"completed\",\"message\":{\"parts\":[{\"kind\":\"text\",\"text\":\"st\"}]}}}", "st"},
                {"{\"kind\":\"message\",\"parts\":[{\"kind\":\"file\",\"file\":{\"uri\":\"x\"}}]}", ""},
        };
        for (String[] c : cases) assertThat(ReplyText.of(JSON.readTree(c[0]))).as(c[0]).isEqualTo(c[1]);
    }
}
