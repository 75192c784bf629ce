package ai.molecule.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code molecule --demo}: on an empty platform, a PM with two reports (Dev Lead, Researcher)
 * so a newcomer sees agents delegating at once. With ANTHROPIC_API_KEY or OPENAI_API_KEY set
 * they run on that provider with short role prompts; otherwise on the scripted model, whose
 * scripts make the PM ask both reports and pass on their answers, no key needed.
 *
 * <p>It goes through the platform's own HTTP API on loopback, like any client would.
 */
final class DemoOrg {
    static final String ANTHROPIC_MODEL = "anthropic:claude-sonnet-4-5";
    static final String OPENAI_MODEL = "openai:gpt-4o-mini";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ONLINE_WITHIN = Duration.ofSeconds(120);

    /** One workspace of the demo: its script (scripted model) or its system prompt (real model). */
    private record Member(String name, String role, String script, String systemPrompt) {
    }

    // The scripted model only sees the latest tool result, so the PM hands the Dev Lead's answer to
    // the Researcher, whose reply quotes it: the PM's final answer then carries both reports' words.
    private static final Member PM = new Member("PM", "Product manager: splits requests between the team", """
            {"steps":[
              {"tool":"delegate_task","args":{"workspace_id":"Dev Lead","task":"How would you build this? {{input}}"}},
              {"tool":"delegate_task","args":{"workspace_id":"Researcher","task":"{{tool_result}}"}},
              {"reply":"PM: for \\"{{input}}\\" my team says: {{tool_result}}"}]}""",
            "You are the PM of a small team. For every request, use delegate_task to ask the Dev Lead how to "
                    + "build it and the Researcher what users need, then answer with one short plan that credits both.");
    private static final Member DEV_LEAD = new Member("Dev Lead", "Engineering lead", """
            {"steps":[{"reply":"Dev Lead: a small API and a simple UI, tests first, about two days of work."}]}""",
            "You are the Dev Lead. Answer with a short, concrete technical plan (3 to 5 bullet points) and a rough estimate.");
    private static final Member RESEARCHER = new Member("Researcher", "User researcher", """
            {"steps":[{"reply":"Researcher: on the plan [{{input}}], talk to three users first and ship the smallest version."}]}""",
            "You are the Researcher. Answer with what users need and the top risks to check first, in 3 to 5 short bullet points.");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> env;
    private final java.util.function.Function<String, String> tokenOf;
    private String bearer;

    /**
     * @param env     the platform's environment: provider keys and ADMIN_TOKEN
     * @param tokenOf mints a bearer for a workspace id (the operator's own platform, in process)
     */
    DemoOrg(String base, Map<String, String> env, java.util.function.Function<String, String> tokenOf) {
        this.base = base;
        this.env = env;
        this.tokenOf = tokenOf;
        this.bearer = blankToNull(env.get("ADMIN_TOKEN"));
    }

    /** The model the demo runs on: the first provider with a key in the environment, else scripted. */
    static String model(Map<String, String> env) {
        if (blankToNull(env.get("ANTHROPIC_API_KEY")) != null) return ANTHROPIC_MODEL;
        if (blankToNull(env.get("OPENAI_API_KEY")) != null) return OPENAI_MODEL;
        return "scripted";
    }

    /** Creates the org (or skips it) and returns the one line to show the user. */
    String run() throws IOException, InterruptedException {
        Reply list = send("GET", "/workspaces", null);
        // 401 means some agent already holds a token, so the platform is not empty either
        if (list.status() == 401 || list.status() == 200 && !list.json().isEmpty()) {
            return "molecule: --demo skipped: this platform already has workspaces";
        }
        if (list.status() != 200) throw new IOException("GET /workspaces answered " + list.status() + ": " + list.body());
        String model = model(env);
        String pm = create(PM, model, null);
        if (bearer == null) {
            // the PM's runtime got its token as it was provisioned, which ends AdminAuth's fail-open;
            // with no ADMIN_TOKEN any workspace token passes (spec §2.3), so the demo uses one of the PM's
            bearer = tokenOf.apply(pm);
        }
        String devLead = create(DEV_LEAD, model, pm);
        String researcher = create(RESEARCHER, model, pm);
        awaitOnline(List.of(pm, devLead, researcher));
        String message = "{\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\","
                + "\"parts\":[{\"kind\":\"text\",\"text\":\"Build a sign-up page\"}]}}}";
        return "molecule: demo org ready (PM, Dev Lead, Researcher on " + model + "). Talk to the PM: curl -s -XPOST "
                + base + "/workspaces/" + pm + "/a2a -H 'Content-Type: application/json' -d '" + message + "'";
    }

    private String create(Member m, String model, String parentId) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", m.name()).put("role", m.role()).put("model", model);
        if (parentId != null) body.put("parent_id", parentId);
        ObjectNode config = body.putObject("config");
        if (model.equals("scripted")) {
            config.set("script", JSON.readTree(m.script()));
        } else {
            config.put("system_prompt", m.systemPrompt());
            String key = model.startsWith("anthropic:") ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
            body.putObject("secrets").put(key, env.get(key)); // the runtime reads its key from its secrets
        }
        Reply r = send("POST", "/workspaces", body.toString());
        if (r.status() != 201) throw new IOException("creating " + m.name() + " answered " + r.status() + ": " + r.body());
        return r.json().path("id").asText();
    }

    private void awaitOnline(List<String> ids) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + ONLINE_WITHIN.toNanos();
        List<String> waiting = new ArrayList<>(ids);
        while (!waiting.isEmpty()) {
            String id = waiting.getFirst();
            String status = send("GET", "/workspaces/" + id, null).json().path("status").asText();
            if (status.equals("online")) {
                waiting.removeFirst();
                continue;
            }
            if (status.equals("failed")) throw new IOException("workspace " + id + " failed to start");
            if (System.nanoTime() > deadline) throw new IOException("workspace " + id + " not online within " + ONLINE_WITHIN);
            Thread.sleep(200); // polling a local server
        }
    }

    private record Reply(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Reply send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
