package ai.molecule.runtime.config;

import ai.molecule.runtime.platform.Peer;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.TokenStore;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

class PromptAssemblerTest {
    @RegisterExtension
    static WireMockExtension platform = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final UUID SELF = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final String CHILD = "22222222-2222-2222-2222-222222222222";
    private static final String SIBLING = "33333333-3333-3333-3333-333333333333";

    @TempDir
    Path dir;

    private WorkspaceConfig config(String yaml) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return WorkspaceConfig.load(dir, Map.of());
    }

    private PlatformClient client() {
        return new PlatformClient(platform.baseUrl(), SELF, HttpClient.newHttpClient(), new TokenStore(dir));
    }

    @Test
    void sectionsComeInOrder() throws IOException {
        Files.writeString(dir.resolve("system-prompt.md"), "FILE ONE");
        Files.writeString(dir.resolve("second.md"), "FILE TWO");
        Files.writeString(dir.resolve("MEMORY.md"), "MEMORY NOTES");
        Files.writeString(dir.resolve("USER.md"), "USER NOTES");
        Files.createDirectories(dir.resolve("skills/review"));
        Files.writeString(dir.resolve("skills/review/SKILL.md"), """
                ---
                name: Code review
                description: Reviews pull requests
                tags: [code]
                ---
                Read the diff first.
                """);
        WorkspaceConfig c = config("""
                system_prompt: INLINE PROMPT
                prompt_files: [system-prompt.md, second.md, absent.md]
                skills: [review, not-installed]
                """);
        List<Skill> skills = Skill.loadAll(dir, c.skills());
        assertThat(skills).containsExactly(new Skill("review", "Code review", "Reviews pull requests", List.of("code"),
                "Read the diff first."));

        String prompt = PromptAssembler.render(c, dir, skills, List.of(), SELF, "RULE ONE", List.of());

        assertThat(prompt).containsSubsequence("# Platform Instructions", "RULE ONE", "INLINE PROMPT", "FILE ONE",
                "FILE TWO", "MEMORY NOTES", "USER NOTES", "## Your Skills", "### Code review", "Reviews pull requests",
                "Read the diff first.", "## Handling Delegation Failures");
        assertThat(prompt).doesNotContain("## Your Peers").doesNotContain("## You Coordinate a Team");
    }

    @Test
    void fetchesInstructionsAndPeersAndBecomesCoordinatorWithChildren() throws IOException {
        platform.stubFor(get("/workspaces/" + SELF + "/instructions/resolve")
                .willReturn(okJson("{\"workspace_id\":\"" + SELF + "\",\"instructions\":\"## Platform-Wide Rules\\nBe kind\"}")));
        platform.stubFor(get("/registry/" + SELF + "/peers").willReturn(okJson("""
                [{"id":"%s","name":"Dev","role":"developer","status":"online","parent_id":"%s"},
                 {"id":"%s","name":"QA","role":"","status":"offline","parent_id":null}]""".formatted(CHILD, SELF, SIBLING))));

        String prompt = PromptAssembler.assemble(config("name: Lead"), dir, List.of(), List.of(), client());

        assertThat(prompt).containsSubsequence("# Platform Instructions", "Be kind", "## Your Peers",
                "- Dev (" + CHILD + ", online, developer) — your team", "- QA (" + SIBLING + ", offline)",
                "## Handling Delegation Failures", "## You Coordinate a Team");
    }

    @Test
    void platformFailuresOnlyDropTheirSections() throws IOException {
        platform.stubFor(get("/workspaces/" + SELF + "/instructions/resolve")
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"boom\"}")));
        platform.stubFor(get("/registry/" + SELF + "/peers").willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":\"workspace not found\"}")));

        String prompt = PromptAssembler.assemble(config("system_prompt: STILL HERE"), dir, List.of(), List.of(), client());

        assertThat(prompt).startsWith("STILL HERE").doesNotContain("Platform Instructions").doesNotContain("Your Peers")
                .contains("## Handling Delegation Failures");
    }

    @Test
    void siblingsAloneDoNotMakeACoordinator() throws IOException {
        platform.stubFor(get("/workspaces/" + SELF + "/instructions/resolve").willReturn(okJson("{\"instructions\":\"\"}")));
        platform.stubFor(get("/registry/" + SELF + "/peers").willReturn(okJson(
                "[{\"id\":\"" + SIBLING + "\",\"name\":\"QA\",\"status\":\"online\",\"parent_id\":\"" + CHILD + "\"}]")));

        String prompt = PromptAssembler.assemble(config(""), dir, List.of(), List.of(), client());

        assertThat(prompt).contains("- QA (" + SIBLING + ", online)").doesNotContain("## You Coordinate a Team")
                .doesNotContain("# Platform Instructions");
    }

    @Test
    void aLargeFlatOrgListsFortyPeersOwnTeamFirstAndPointsAtListPeers() throws IOException {
        WorkspaceConfig c = config("name: Lead\n");
        List<Peer> peers = new java.util.ArrayList<>();
        for (int i = 0; i < 44; i++) peers.add(new Peer("r" + i, "Root " + i, "online", "", "", List.of()));
        peers.add(new Peer("mine", "My Report", "online", "", SELF.toString(), List.of()));

        String prompt = PromptAssembler.render(c, dir, List.of(), List.of(), SELF, "", peers);

        String section = prompt.substring(prompt.indexOf("## Your Peers"), prompt.indexOf("## Handling Delegation Failures"));
        assertThat(section.lines().filter(l -> l.startsWith("- ") && !l.startsWith("- …")).count())
                .isEqualTo(PromptAssembler.MAX_PEERS_LISTED);
        assertThat(section).containsSubsequence("My Report", "— your team", "Root 0")
                .contains("… and 5 more: call list_peers to see them all.")
                .doesNotContain("Root 43");
    }
}
