package ai.molecule.platform.workspace;

import ai.molecule.platform.http.ApiError;

import java.nio.file.Path;
import java.util.List;

/** Field validation shared by create and patch (spec §1.2 "Field validation"). */
public final class FieldRules {
    private static final String NAME_ROLE_FORBIDDEN = "{}[]|>*&!";
    private static final List<String> SYSTEM_DIRS =
            List.of("/etc", "/var", "/proc", "/sys", "/dev", "/boot", "/sbin", "/bin", "/lib", "/usr");

    private FieldRules() {
    }

    static void name(String name) {
        text("name", name, 255, true);
    }

    static void role(String role) {
        text("role", role, 1000, true);
    }

    public static void model(String model) {
        text("model", model, 100, false);
    }

    static void runtime(String runtime) {
        text("runtime", runtime, 100, false);
    }

    private static void text(String field, String value, int max, boolean restrictChars) {
        if (value == null) return;
        if (value.length() > max) throw ApiError.badRequest(field + " must be at most " + max + " characters");
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw ApiError.badRequest(field + " must not contain newline characters");
        }
        if (restrictChars && value.chars().anyMatch(c -> NAME_ROLE_FORBIDDEN.indexOf(c) >= 0)) {
            throw ApiError.badRequest(field + " contains invalid characters");
        }
    }

    /** Absolute, no "..", not a system directory or below. */
    static void workspaceDir(String dir) {
        if (dir == null) return;
        if (!dir.startsWith("/") || dir.contains("..") || dir.indexOf('\0') >= 0) {
            throw ApiError.badRequest("invalid workspace directory");
        }
        String clean = Path.of(dir).normalize().toString();
        for (String sys : SYSTEM_DIRS) {
            if (clean.equals(sys) || clean.startsWith(sys + "/")) throw ApiError.badRequest("invalid workspace directory");
        }
        if (clean.equals("/")) throw ApiError.badRequest("invalid workspace directory");
    }

    static void workspaceAccess(String access, String dir) {
        if (access == null || access.equals("none")) return;
        if (!access.equals("read_only") && !access.equals("read_write")) throw ApiError.badRequest("invalid workspace access");
        if (dir == null) throw ApiError.badRequest("invalid workspace access");
    }

    /** A template names one directory under CONFIGS_DIR: a single safe path segment. */
    static void template(String template) {
        if (template == null) return;
        if (template.isEmpty() || template.length() > 200 || !template.matches("[A-Za-z0-9._-]+") || template.startsWith(".")) {
            throw ApiError.badRequest("invalid template");
        }
    }
}
