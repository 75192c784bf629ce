package ai.molecule.platform.bundles;

/**
 * The bundle format: one JSON document per workspace, children nested in
 * {@code sub_workspaces}. Upstream's keys (spec agent-side §6.4) — {@code schema} "1.0",
 * {@code id}, {@code name}, {@code description} (the role), {@code tier}, {@code model},
 * {@code system_prompt}, {@code skills [{id, name, description, files {path: text}}]},
 * {@code tools}, {@code prompts {path: text}} (config-dir files; {@code config.yaml} rendered
 * from the stored config), {@code agent_card}, {@code author}, {@code version} — plus ours:
 * {@code format_version} (1), {@code runtime}, {@code max_concurrent_tasks}, {@code config}
 * (the stored config as JSON; wins over {@code prompts["config.yaml"]}), {@code memories
 * [{content, scope}]} (redacted), {@code schedules [{name, cron_expr, timezone, prompt,
 * enabled, source}]} and {@code required_secrets} (names only: values never leave).
 */
final class Bundle {
    static final String SCHEMA = "1.0";
    static final int FORMAT_VERSION = 1;
    static final int MAX_WORKSPACES = 200;
    static final int MAX_FILES = 500;

    private Bundle() {
    }
}
