package ai.molecule.runtime.config;

import ai.molecule.runtime.platform.Peer;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.PlatformException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the system prompt (spec agent-side §1.8, simplified): platform instructions, the
 * inline {@code system_prompt}, the prompt files in order, MEMORY.md and USER.md, the
 * installed plugins' rules and prompt fragments, skills (the workspace's, then the plugins'),
 * peers, the delegation-failure guidance and, for a workspace with children, the
 * coordinator rules. Platform calls fail open: an unreachable platform only drops its part.
 */
public final class PromptAssembler {
    private static final Logger log = LoggerFactory.getLogger(PromptAssembler.class);

    static final String DELEGATION_GUIDANCE = """
            ## Handling Delegation Failures
            A delegation can fail or be queued. When delegate_task answers "DELEGATION FAILED", do not retry the same \
            peer in a loop: try another peer that can do the work, do the work yourself if you can, or tell the user \
            what failed. When it answers that the task was queued, the peer is busy and will pick it up: wait and use \
            check_task_status; never redo a queued task yourself.""";

    static final String COORDINATOR_RULES = """
            ## You Coordinate a Team
            Some of your peers are your direct reports (marked "your team" above). For every request:
            - Delegate the work to your team; do not do it yourself.
            - Split independent parts and send them in parallel (delegate_task_async, then check_task_status).
            - Combine their answers into one reply.
            - If a member fails, give the task to another member.
            - Answer in the caller's language.""";

    private PromptAssembler() {
    }

    /** Fetches instructions and peers from the platform, then {@link #render}s. */
    public static String assemble(WorkspaceConfig config, Path configDir, List<Skill> skills, List<Plugin> plugins,
                                  PlatformClient platform) {
        String instructions = "";
        try {
            instructions = platform.instructions();
        } catch (PlatformException e) {
            log.info("workspace {}: no platform instructions ({})", platform.self(), e.getMessage());
        }
        List<Peer> peers = List.of();
        try {
            peers = platform.peers();
        } catch (PlatformException e) {
            log.info("workspace {}: peers not listed in the prompt ({})", platform.self(), e.getMessage());
        }
        return render(config, configDir, skills, plugins, platform.self(), instructions, peers);
    }

    /** The prompt from already fetched platform data; reads only files under {@code configDir}. */
    public static String render(WorkspaceConfig config, Path configDir, List<Skill> skills, List<Plugin> plugins,
                                UUID self, String instructions, List<Peer> peers) {
        List<String> sections = new ArrayList<>();
        if (!instructions.isBlank()) sections.add("# Platform Instructions\n\n" + instructions.strip());
        if (!config.systemPrompt().isBlank()) sections.add(config.systemPrompt().strip());
        for (String file : config.promptFiles()) read(configDir, file, "prompt_files").ifPresent(sections::add);
        for (String file : List.of("MEMORY.md", "USER.md")) read(configDir, file, file).ifPresent(sections::add);
        pluginSection("## Platform Rules", "rule", plugins, Plugin::rules).ifPresent(sections::add);
        pluginSection("## Platform Guidelines", "fragment", plugins, Plugin::fragments).ifPresent(sections::add);
        if (!skills.isEmpty()) sections.add(skillsSection(skills));
        boolean coordinator = peers.stream().anyMatch(p -> p.parentId().equals(self.toString()));
        if (!peers.isEmpty()) sections.add(peersSection(peers, self));
        sections.add(DELEGATION_GUIDANCE);
        if (coordinator) sections.add(COORDINATOR_RULES);
        return String.join("\n\n", sections);
    }

    /** Each text under upstream's marker {@code # Plugin: <name> / <kind>: <file>}. */
    private static Optional<String> pluginSection(String title, String kind, List<Plugin> plugins,
                                                  java.util.function.Function<Plugin, List<Plugin.Text>> texts) {
        StringBuilder b = new StringBuilder();
        for (Plugin p : plugins) {
            for (Plugin.Text t : texts.apply(p)) {
                b.append("\n\n# Plugin: ").append(p.name()).append(" / ").append(kind).append(": ").append(t.file())
                        .append("\n\n").append(t.content());
            }
        }
        return b.isEmpty() ? Optional.empty() : Optional.of(title + b);
    }

    private static String skillsSection(List<Skill> skills) {
        StringBuilder b = new StringBuilder("## Your Skills");
        for (Skill s : skills) {
            b.append("\n\n### ").append(s.name());
            if (!s.description().isBlank()) b.append("\n").append(s.description());
            if (!s.body().isBlank()) b.append("\n\n").append(s.body());
        }
        return b.toString();
    }

    /** Listed in full up to this many; a flat org of thousands of roots would otherwise grow every prompt. */
    static final int MAX_PEERS_LISTED = 40;

    private static String peersSection(List<Peer> peers, UUID self) {
        StringBuilder b = new StringBuilder("## Your Peers\nWorkspaces you can reach with delegate_task (by id or exact name):");
        // your own team first: it is who you delegate to most
        List<Peer> ordered = new java.util.ArrayList<>(peers);
        ordered.sort(java.util.Comparator.comparing(p -> !p.parentId().equals(self.toString())));
        for (Peer p : ordered.subList(0, Math.min(MAX_PEERS_LISTED, ordered.size()))) {
            b.append("\n- ").append(p.line());
            if (p.parentId().equals(self.toString())) b.append(" — your team");
        }
        if (ordered.size() > MAX_PEERS_LISTED) {
            b.append("\n- … and ").append(ordered.size() - MAX_PEERS_LISTED).append(" more: call list_peers to see them all.");
        }
        return b.toString();
    }

    private static Optional<String> read(Path configDir, String relative, String key) {
        Path file = WorkspaceConfig.inside(configDir, relative, key);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            log.warn("prompt file {} cannot be read: {}", file, e.getMessage());
            return Optional.empty();
        }
    }
}
