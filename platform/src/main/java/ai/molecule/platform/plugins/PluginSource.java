package ai.molecule.platform.plugins;

import ai.molecule.platform.http.ApiError;
import ai.molecule.runtime.config.Plugin;

/**
 * A caller's plugin source (spec §1.15): {@code local://<name>} or a bare name, from the
 * platform's registry. {@code github://} is known but not fetched here (no network): unpinned
 * it gets the spec's 422, pinned a clear 400; every other scheme is a 400.
 */
record PluginSource(String name) {
    static final String LOCAL = "local://";
    private static final int MAX_CHARS = 300;

    static PluginSource parse(String raw) {
        if (raw == null || raw.isBlank()) throw ApiError.badRequest("source is required");
        String s = raw.strip();
        if (s.length() > MAX_CHARS) throw ApiError.badRequest("source too long (max " + MAX_CHARS + " characters)");
        if (s.startsWith("github://")) {
            if (!s.contains("#")) {
                throw new ApiError(422, "unpinned github source: " + s + " (pin a tag or commit with #<ref>)");
            }
            throw ApiError.badRequest("github sources are not supported by this platform (no network access); "
                    + "copy the plugin into the plugins folder and install it as local://<name>");
        }
        int scheme = s.indexOf("://");
        if (scheme >= 0 && !s.startsWith(LOCAL)) {
            throw ApiError.badRequest("unsupported plugin source scheme: " + s.substring(0, scheme) + " (supported: local)");
        }
        String name = s.startsWith(LOCAL) ? s.substring(LOCAL.length()) : s;
        if (!Plugin.NAME.matcher(name).matches()) throw ApiError.badRequest("invalid plugin name");
        return new PluginSource(name);
    }

    @Override
    public String toString() {
        return LOCAL + name;
    }
}
