package ai.molecule.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A three-level org of scripted agents in the packaged jar (embedded runtimes), driven from the
 * canvas through the platform's A2A proxy: PM → Dev Lead → Engineer and back, every hop logged on
 * both ends and streamed on /ws in order; and the hierarchy rule refusing a cousin, both to a raw
 * call with the Engineer's token and to an agent's delegate_task.
 *
 * <pre>
 *   PM ─┬─ Dev Lead ─┬─ Engineer
 *       │            └─ QA          (delegates to the Illustrator by id: a cousin)
 *       └─ Designer ─── Illustrator
 * </pre>
 */
class OrgDelegationTest {
    private static final String HIERARCHY_DENIED = "access denied: workspaces cannot communicate per hierarchy rules";
    private static final Pattern ONE_SOCKET =
            Pattern.compile("(?m)^molecule_websocket_connections_active(\\{[^}]*})? 1(\\.0)?$");

    @TempDir
    static Path home;
    static MoleculeProcess molecule;
    static WsRecorder ws;
    static Http http;
    static Org org;
    static String pm, devLead, engineer, qa, designer, illustrator;
    static Map<String, String> names;

    @BeforeAll
    static void bootAndBuildOrg() {
        molecule = MoleculeProcess.start(home, "MOLECULE_ENABLE_TEST_TOKENS", "1").awaitHealthy(Duration.ofSeconds(90));
        http = new Http(molecule.base());
        org = new Org(http);
        // connected before anything happens, and counted by the server, so no event can be missed
        ws = WsRecorder.connect(molecule.base());
        await().atMost(Duration.ofSeconds(5)).until(() -> ONE_SOCKET.matcher(http.get("/metrics").body()).find());

        pm = org.scripted("PM", null, Org.json("""
                {"steps":[{"tool":"delegate_task","args":{"workspace_id":"Dev Lead","task":"Plan this: {{input}}"}},
                          {"reply":"PM summary <- {{tool_result}}"}]}"""));
        org.awaitOnline(List.of(pm), Duration.ofSeconds(60)); // its token ends the fail-open
        Org admin = org.authenticatedAs(pm);
        devLead = admin.scripted("Dev Lead", pm, Org.json("""
                {"steps":[{"tool":"delegate_task","args":{"workspace_id":"Engineer","task":"Build this: {{input}}"}},
                          {"reply":"Dev Lead checked <- {{tool_result}}"}]}"""));
        engineer = admin.scripted("Engineer", devLead, Org.json("""
                {"steps":[{"reply":"Engineer shipped [{{input}}]"}]}"""));
        designer = admin.scripted("Designer", pm, null);
        illustrator = admin.scripted("Illustrator", designer, null);
        // a rule and no steps: after the tool call, the tool's result is the answer
        qa = admin.scripted("QA", devLead, Org.json("""
                {"rules":[{"match":".","tool":"delegate_task","args":{"workspace_id":"%s","task":"Draw: {{input}}"}}]}"""
                .formatted(illustrator)));
        names = Map.of(pm, "PM", devLead, "Dev Lead", engineer, "Engineer", designer, "Designer",
                illustrator, "Illustrator", qa, "QA");
        org.awaitOnline(names.keySet(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void shutdown() {
        if (ws != null) ws.close();
        if (molecule != null) molecule.close();
    }

    @Test
    void canvasMessageTravelsDownTheChainAndEveryHopIsLoggedAndStreamedInOrder() {
        int mark = ws.frames().size();
        Http.Response r = http.post("/workspaces/" + pm + "/a2a", Org.messageSend("a login page"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(Org.replyText(r.json())).as(r.body())
                .isEqualTo("PM summary <- Dev Lead checked <- Engineer shipped [Build this: Plan this: a login page]");

        // the activity log of each end, with who talked to whom (rows are committed by the write-behind, within ms)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(a2aRows(pm)).containsExactly(
                    row("a2a_receive", null, pm, "ok"), // newest first: the canvas's call ended last
                    row("a2a_send", pm, devLead, "ok"));
            assertThat(a2aRows(devLead)).containsExactly(
                    row("a2a_receive", pm, devLead, "ok"),
                    row("a2a_send", devLead, engineer, "ok"));
            assertThat(a2aRows(engineer)).containsExactly(row("a2a_receive", devLead, engineer, "ok"));
        });
        JsonNode engineerRow = activity(engineer).get(0);
        assertThat(engineerRow.path("method").asText()).isEqualTo("message/send");
        assertThat(Org.replyText(engineerRow.path("response_body")))
                .isEqualTo("Engineer shipped [Build this: Plan this: a login page]");

        // /ws: a send is logged when the hop leaves, a receive when its answer comes back,
        // and only the canvas's own call ends with A2A_RESPONSE (A2aProxy.deliver / replied)
        List<String> expected = List.of("PM a2a_send", "Dev Lead a2a_send", "Engineer a2a_receive",
                "Dev Lead a2a_receive", "PM a2a_receive", "PM A2A_RESPONSE");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(hops(mark)).containsExactlyElementsOf(expected));
        JsonNode response = ws.frames().subList(mark, ws.frames().size()).stream()
                .filter(f -> f.path("event").asText().equals("A2A_RESPONSE")).findFirst().orElseThrow();
        assertThat(response.path("workspace_id").asText()).isEqualTo(pm);
        assertThat(response.path("payload").path("method").asText()).isEqualTo("message/send");
        assertThat(Org.replyText(response.path("payload").path("response_body")))
                .startsWith("PM summary <- Dev Lead checked <- Engineer shipped");
    }

    @Test
    void cousinsCannotTalkNeitherWithATokenNorThroughAnAgent() {
        Http engineerCall = org.as(engineer).withHeader("X-Workspace-ID", engineer);
        Http.Response refused = engineerCall.post("/workspaces/" + illustrator + "/a2a", Org.messageSend("draw a cat"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json()).isEqualTo(Http.json("{\"error\":\"" + HIERARCHY_DENIED + "\"}"));

        // QA's script delegates to the Illustrator by id: the tool reports the refusal to the model
        Http.Response r = http.post("/workspaces/" + qa + "/a2a", Org.messageSend("a logo"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(Org.replyText(r.json())).as(r.body())
                .startsWith("DELEGATION FAILED to " + illustrator + ": " + HIERARCHY_DENIED + ".");

        // refused at the door: nothing left QA, nothing reached the Illustrator
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(a2aRows(qa)).containsExactly(row("a2a_receive", null, qa, "ok")));
        assertThat(activity(illustrator)).isEmpty();
    }

    /** Activity rows of one workspace, newest first. */
    private static JsonNode activity(String id) {
        Http.Response r = org.as(id).get("/workspaces/" + id + "/activity");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<List<String>> a2aRows(String id) {
        return StreamSupport.stream(activity(id).spliterator(), false)
                .filter(a -> a.path("activity_type").asText().startsWith("a2a_"))
                .map(a -> row(a.path("activity_type").asText(), text(a.path("source_id")), text(a.path("target_id")),
                        a.path("status").asText()))
                .toList();
    }

    private static List<String> row(String type, String source, String target, String status) {
        return java.util.Arrays.asList(type, source, target, status);
    }

    private static String text(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    /** "<name> <activity_type>" of each A2A activity event after {@code mark}, and "<name> A2A_RESPONSE". */
    private static List<String> hops(int mark) {
        List<JsonNode> frames = ws.frames();
        return frames.subList(mark, frames.size()).stream()
                .filter(f -> names.containsKey(f.path("workspace_id").asText()))
                .filter(f -> f.path("event").asText().equals("A2A_RESPONSE")
                        || f.path("event").asText().equals("ACTIVITY_LOGGED")
                        && Set.of("a2a_send", "a2a_receive").contains(f.path("payload").path("activity_type").asText()))
                .map(f -> names.get(f.path("workspace_id").asText()) + " " + (f.path("event").asText().equals("A2A_RESPONSE")
                        ? "A2A_RESPONSE" : f.path("payload").path("activity_type").asText()))
                .toList();
    }
}
