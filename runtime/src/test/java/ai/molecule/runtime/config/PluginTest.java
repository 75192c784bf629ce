package ai.molecule.runtime.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PluginTest {
    @TempDir
    Path dir;

    private void write(String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void rulesFragmentsAndSkillsJoinThePromptUnderMarkers() throws IOException {
        write("config.yaml", "skills: [own]\n");
        write("skills/own/SKILL.md", "---\nname: own\n---\nOWN SKILL");
        write("plugins/review/plugin.yaml", "name: review\nversion: 1.0.0\nruntimes: [langgraph]\n");
        write("plugins/review/rules/checklist.md", "ALWAYS CHECK TESTS");
        write("plugins/review/style.md", "WRITE PLAINLY");
        write("plugins/review/README.md", "not a fragment");
        write("plugins/review/skills/careful-git/SKILL.md", "---\nname: careful-git\ndescription: Safe git\n---\nNEVER FORCE PUSH");
        write("plugins/other/plugin.yaml", "name: other\nruntimes: [claude-code]\nrules: []\n");
        write("plugins/other/rules/x.md", "OTHER RUNTIME RULE");

        WorkspaceConfig c = WorkspaceConfig.load(dir, Map.of());
        List<Plugin> plugins = Plugin.loadAll(dir, c.runtime());
        assertThat(plugins).extracting(Plugin::name).containsExactly("review");
        List<Skill> skills = Plugin.withSkillsOf(Skill.loadAll(dir, c.skills()), plugins);
        assertThat(skills).extracting(Skill::id).containsExactly("own", "careful-git");

        String prompt = PromptAssembler.render(c, dir, skills, plugins, UUID.randomUUID(), "", List.of());
        assertThat(prompt).containsSubsequence("## Platform Rules", "# Plugin: review / rule: rules/checklist.md",
                "ALWAYS CHECK TESTS", "## Platform Guidelines", "# Plugin: review / fragment: style.md", "WRITE PLAINLY",
                "## Your Skills", "OWN SKILL", "NEVER FORCE PUSH");
        assertThat(prompt).doesNotContain("not a fragment").doesNotContain("OTHER RUNTIME RULE");
    }

    @Test
    void runtimeNamesMatchWithDashOrUnderscoreAndEmptyMeansAll() {
        assertThat(Plugin.supports(List.of("claude_code"), "claude-code")).isTrue();
        assertThat(Plugin.supports(List.of(), "anything")).isTrue();
        assertThat(Plugin.supports(List.of("langgraph"), "claude-code")).isFalse();
    }

    @Test
    void aListedFileOutsideThePluginSkipsThePlugin() throws IOException {
        write("secret.md", "SECRET");
        write("plugins/evil/plugin.yaml", "name: evil\nrules: [../../secret.md]\n");
        write("plugins/good/plugin.yaml", "name: good\n");
        write("plugins/good/rules/a.md", "GOOD");
        assertThat(Plugin.loadAll(dir, "langgraph")).extracting(Plugin::name).containsExactly("good");
    }
}
