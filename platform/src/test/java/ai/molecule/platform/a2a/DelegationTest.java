package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.Agents;
import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import ai.molecule.platform.testkit.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Platform-run delegations (spec §1.9) between real scripted agents, with events on a real /ws. */
class DelegationTest {
    private static final String ADMIN = "delegation-admin";
    private static final Duration WAIT = Duration.ofSeconds(15);

    static TestPlatform platform;
    static Http http;
    static Agents agents;
    static WsClient ws;
    static String pm, dev, otherRoot, cousin;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "embedded");
        http = platform.http();
        agents = new Agents(platform, ADMIN);
        ws = WsClient.connect(http.base());
        pm = agents.online("{\"name\":\"PM\",\"model\":\"scripted\"}");
        dev = agents.online("{\"name\":\"Dev\",\"model\":\"scripted\",\"parent_id\":\"" + pm + "\"}");
        otherRoot = agents.online("{\"name\":\"Other\",\"model\":\"scripted\"}");
        cousin = agents.online("{\"name\":\"Cousin\",\"model\":\"scripted\",\"parent_id\":\"" + otherRoot + "\"}");
    }

    @AfterAll
    static void stop() {
        ws.close();
        platform.close();
    }

    private static Http.Response delegate(String source, String body) {
        return http.post("/workspaces/" + source + "/delegate", body, agents.admin());
    }

    /** Payloads of the source's {@code event}s about one delegation. */
    private static List<JsonNode> events(String source, String event, String delegationId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : ws.frames()) {
            if (f.path("workspace_id").asText().equals(source) && f.path("event").asText().equals(event)
                    && f.at("/payload/delegation_id").asText().equals(delegationId)) {
                out.add(f.get("payload"));
            }
        }
        return out;
    }

    private static JsonNode awaitEvent(String source, String event, String delegationId) {
        await().atMost(WAIT).until(() -> !events(source, event, delegationId).isEmpty());
        return events(source, event, delegationId).get(0);
    }

    private static List<JsonNode> rows(String source, String delegationId) {
        List<JsonNode> out = new ArrayList<>();
        http.get("/workspaces/" + source + "/delegations", agents.admin()).json().forEach(r -> {
            if (r.path("delegation_id").asText().equals(delegationId)) out.add(r);
        });
        return out;
    }

    @Test
    void aDelegationRunsThroughTheProxyAndReportsEachStep() {
        Http.Response r = delegate(pm, "{\"target_id\":\"" + dev + "\",\"task\":\"build the login page\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String did = r.json().get("delegation_id").asText();
        assertThat(did).matches("[0-9a-f-]{36}");
        assertThat(r.json().get("status").asText()).isEqualTo("delegated");
        assertThat(r.json().get("target_id").asText()).isEqualTo(dev);
        assertThat(r.json().size()).isEqualTo(3);

        assertThat(awaitEvent(pm, "DELEGATION_SENT", did).get("task_preview").asText()).isEqualTo("build the login page");
        JsonNode status = awaitEvent(pm, "DELEGATION_STATUS", did);
        assertThat(status.get("status").asText()).isEqualTo("dispatched");
        assertThat(status.get("target_id").asText()).isEqualTo(dev);
        JsonNode done = awaitEvent(pm, "DELEGATION_COMPLETE", did);
        assertThat(done.get("response_preview").asText()).isEqualTo("echo: build the login page");
        assertThat(done.get("target_id").asText()).isEqualTo(dev);

        List<JsonNode> rows = rows(pm, did);
        assertThat(rows).extracting(x -> x.get("type").asText()).containsExactlyInAnyOrder("delegate", "delegate_result");
        for (JsonNode row : rows) {
            assertThat(row.get("status").asText()).isEqualTo("completed");
            assertThat(row.get("response_preview").asText()).isEqualTo("echo: build the login page");
        }
        // the message reached the target as the source's call, with the delegation id as its messageId
        JsonNode receive = agents.activity(dev, "a2a_receive").stream()
                .filter(a -> a.at("/request_body/params/message/messageId").asText().equals(did)).findFirst().orElseThrow();
        assertThat(receive.get("source_id").asText()).isEqualTo(pm);
        assertThat(receive.at("/request_body/params/message/metadata/delegation_id").asText()).isEqualTo(did);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameDelegation() {
        String body = "{\"target_id\":\"" + dev + "\",\"task\":\"once only\",\"idempotency_key\":\"key-1\"}";
        Http.Response first = delegate(pm, body);
        assertThat(first.status()).isEqualTo(202);
        String did = first.json().get("delegation_id").asText();
        awaitEvent(pm, "DELEGATION_COMPLETE", did);

        Http.Response again = delegate(pm, body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("idempotent_hit").asBoolean()).isTrue();
        assertThat(again.json().get("delegation_id").asText()).isEqualTo(did);
        assertThat(again.json().get("status").asText()).isEqualTo("completed");
        assertThat(again.json().get("target_id").asText()).isEqualTo(dev);
        assertThat(events(pm, "DELEGATION_SENT", did)).as("not sent twice").hasSize(1);
    }

    @Test
    void invalidDelegations() {
        Http.Response self = delegate(pm, "{\"target_id\":\"" + pm + "\",\"task\":\"me\"}");
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.json().get("error").asText()).isEqualTo("self-delegation not permitted");

        Http.Response badTarget = delegate(pm, "{\"target_id\":\"dev\",\"task\":\"x\"}");
        assertThat(badTarget.status()).isEqualTo(400);
        assertThat(badTarget.json().get("error").asText()).isEqualTo("target_id must be a valid UUID");

        Http.Response noTask = delegate(pm, "{\"target_id\":\"" + dev + "\"}");
        assertThat(noTask.status()).isEqualTo(400);
        assertThat(noTask.json().get("error").asText()).isEqualTo("invalid delegation request");
    }

    @Test
    void aCousinTargetFailsWithTheHierarchyError() {
        Http.Response r = delegate(dev, "{\"target_id\":\"" + cousin + "\",\"task\":\"not your team\"}");
        assertThat(r.status()).isEqualTo(202);
        String did = r.json().get("delegation_id").asText();
        JsonNode failed = awaitEvent(dev, "DELEGATION_FAILED", did);
        assertThat(failed.get("error").asText()).isEqualTo("access denied: workspaces cannot communicate per hierarchy rules");
        assertThat(failed.get("target_id").asText()).isEqualTo(cousin);
        assertThat(agents.activity(cousin, "a2a_receive")).as("never reached the cousin").isEmpty();
        JsonNode result = rows(dev, did).stream().filter(x -> x.get("type").asText().equals("delegate_result")).findFirst().orElseThrow();
        assertThat(result.get("status").asText()).isEqualTo("failed");
        assertThat(result.get("error").asText()).isEqualTo("access denied: workspaces cannot communicate per hierarchy rules");
    }

    @Test
    void agentRunDelegationsAreRecordedAndUpdated() {
        String did = UUID.randomUUID().toString();
        Http.Response rec = http.post("/workspaces/" + pm + "/delegations/record",
                "{\"target_id\":\"" + dev + "\",\"task\":\"my own\",\"delegation_id\":\"" + did + "\"}", agents.admin());
        assertThat(rec.status()).isEqualTo(202);
        assertThat(rec.json().get("status").asText()).isEqualTo("recorded");
        assertThat(awaitEvent(pm, "DELEGATION_SENT", did).get("task_preview").asText()).isEqualTo("my own");
        assertThat(rows(pm, did).get(0).get("status").asText()).isEqualTo("dispatched");

        Http.Response bad = http.post("/workspaces/" + pm + "/delegations/" + did + "/update", "{\"status\":\"done\"}", agents.admin());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("status must be 'completed' or 'failed'");

        Http.Response ok = http.post("/workspaces/" + pm + "/delegations/" + did + "/update",
                "{\"status\":\"completed\",\"response_preview\":\"all done\"}", agents.admin());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("status").asText()).isEqualTo("completed");
        assertThat(ok.json().get("delegation_id").asText()).isEqualTo(did);
        JsonNode done = awaitEvent(pm, "DELEGATION_COMPLETE", did);
        assertThat(done.get("response_preview").asText()).isEqualTo("all done");
        assertThat(done.get("target_id").asText()).isEqualTo(dev);

        String other = UUID.randomUUID().toString();
        http.post("/workspaces/" + pm + "/delegations/record",
                "{\"target_id\":\"" + dev + "\",\"task\":\"will fail\",\"delegation_id\":\"" + other + "\"}", agents.admin());
        http.post("/workspaces/" + pm + "/delegations/" + other + "/update", "{\"status\":\"failed\",\"error\":\"boom\"}", agents.admin());
        assertThat(awaitEvent(pm, "DELEGATION_FAILED", other).get("error").asText()).isEqualTo("boom");
    }
}
