package ai.molecule.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One installed plugin (spec agent-side §5.2): a folder {@code plugins/<name>/} of the config
 * dir with a {@code plugin.yaml}, its always-on rules ({@code rules/*.md}), its prompt
 * fragments (the other {@code *.md} files at its root) and its skills
 * ({@code skills/<id>/SKILL.md}). {@code rules}, {@code prompt_fragments} and {@code skills} in
 * plugin.yaml, when given, list them instead of the folder conventions. The layout methods are
 * public: the platform lists and validates plugins by the same rules.
 */
public record Plugin(String name, List<Text> rules, List<Text> fragments, List<Skill> skills) {
    private static final Logger log = LoggerFactory.getLogger(Plugin.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final String MANIFEST = "plugin.yaml";
    public static final String DIR = "plugins";
    /** Plugin and skill names: one safe path segment. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Set<String> NOT_FRAGMENTS = Set.of("README.MD", "CHANGELOG.MD", "LICENSE.MD", "CONTRIBUTING.MD");

    /** A rule or fragment: its file (relative to the plugin folder) and text. */
    public record Text(String file, String content) {
    }

    /** Every plugin under {@code <configDir>/plugins} that runs on {@code runtime}, by name. */
    public static List<Plugin> loadAll(Path configDir, String runtime) {
        Path root = configDir.resolve(DIR);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<Plugin> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (!NAME.matcher(name).matches() || !Files.isRegularFile(dir.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) continue;
                try {
                    load(dir, name, runtime).ifPresent(out::add);
                } catch (IOException | RuntimeException e) {
                    log.warn("plugin '{}' skipped: {}", name, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("plugins in {} cannot be listed: {}", root, e.getMessage());
        }
        return List.copyOf(out);
    }

    private static java.util.Optional<Plugin> load(Path dir, String name, String runtime) throws IOException {
        JsonNode manifest = YAML.readTree(dir.resolve(MANIFEST).toFile());
        if (manifest == null || !manifest.isObject()) throw new IllegalArgumentException("plugin.yaml is not a mapping");
        if (!supports(strings(manifest, "runtimes"), runtime)) {
            log.info("plugin '{}' does not support runtime {}; not loaded", name, runtime);
            return java.util.Optional.empty();
        }
        List<Skill> skills = new ArrayList<>();
        for (String id : skillIds(dir, strings(manifest, "skills"))) {
            skills.add(Skill.parse(id, Files.readString(dir.resolve("skills").resolve(id).resolve("SKILL.md"))));
        }
        return java.util.Optional.of(new Plugin(name, texts(dir, ruleFiles(dir, strings(manifest, "rules"))),
                texts(dir, fragmentFiles(dir, strings(manifest, "prompt_fragments"))), List.copyOf(skills)));
    }

    /** {@code own} skills, then the plugins' skills whose ids are not taken yet. */
    public static List<Skill> withSkillsOf(List<Skill> own, List<Plugin> plugins) {
        List<Skill> out = new ArrayList<>(own);
        for (Plugin p : plugins) {
            for (Skill s : p.skills()) if (out.stream().noneMatch(o -> o.id().equals(s.id()))) out.add(s);
        }
        return List.copyOf(out);
    }

    /** Empty {@code runtimes} = every runtime; {@code -} and {@code _} are the same, case ignored. */
    public static boolean supports(List<String> runtimes, String runtime) {
        return runtimes.isEmpty() || runtimes.stream().anyMatch(r -> normalize(r).equals(normalize(runtime)));
    }

    public static String normalize(String runtime) {
        return runtime == null ? "" : runtime.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** The listed rule files, else {@code rules/*.md}. */
    public static List<String> ruleFiles(Path dir, List<String> listed) throws IOException {
        return listed.isEmpty() ? markdown(dir.resolve("rules"), "rules/") : checked(dir, listed);
    }

    /** The listed fragment files, else the root's {@code *.md} but README, CHANGELOG, LICENSE, CONTRIBUTING. */
    public static List<String> fragmentFiles(Path dir, List<String> listed) throws IOException {
        if (!listed.isEmpty()) return checked(dir, listed);
        return markdown(dir, "").stream().filter(f -> !NOT_FRAGMENTS.contains(f.toUpperCase(Locale.ROOT))).toList();
    }

    /** The listed skills, else every {@code skills/<id>/} with a SKILL.md; each must exist. */
    public static List<String> skillIds(Path dir, List<String> listed) throws IOException {
        Path skills = dir.resolve("skills");
        List<String> ids = listed;
        if (ids.isEmpty()) {
            if (!Files.isDirectory(skills, LinkOption.NOFOLLOW_LINKS)) return List.of();
            try (Stream<Path> s = Files.list(skills)) {
                ids = s.filter(p -> Files.isRegularFile(p.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS))
                        .map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
        for (String id : ids) {
            if (!NAME.matcher(id).matches()) throw new IllegalArgumentException("invalid skill name: " + id);
            if (!Files.isRegularFile(skills.resolve(id).resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("skill " + id + " has no SKILL.md");
            }
        }
        return List.copyOf(ids);
    }

    private static List<String> markdown(Path folder, String prefix) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && p.getFileName().toString().endsWith(".md"))
                    .map(p -> prefix + p.getFileName()).sorted().toList();
        }
    }

    /** Listed files: relative, inside the plugin folder, regular files (no symlinks). */
    private static List<String> checked(Path dir, List<String> files) {
        for (String f : files) {
            Path p = dir.resolve(f).normalize();
            if (f.startsWith("/") || f.contains("\\") || !p.startsWith(dir.normalize()) || f.split("/").length > 4
                    || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("invalid or missing plugin file: " + f);
            }
        }
        return List.copyOf(files);
    }

    private static List<Text> texts(Path dir, List<String> files) throws IOException {
        List<Text> out = new ArrayList<>();
        for (String f : files) {
            String text = Files.readString(dir.resolve(f)).strip();
            if (!text.isEmpty()) out.add(new Text(f, text));
        }
        return List.copyOf(out);
    }

    /** A list of strings, or a single string, under {@code key}; absent = empty. */
    public static List<String> strings(JsonNode manifest, String key) {
        JsonNode v = manifest.get(key);
        if (v == null || v.isNull()) return List.of();
        if (v.isValueNode()) return List.of(v.asText());
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText()));
        return out;
    }
}
