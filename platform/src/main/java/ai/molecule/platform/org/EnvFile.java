package ai.molecule.platform.org;

import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.secrets.SecretService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A template's {@code .env}: {@code KEY=value} lines (optional {@code export}, quotes, {@code #} comments); and {@code ${VAR}} expansion. */
final class EnvFile {
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvFile() {
    }

    /** The file's variables in order; an absent file is empty. */
    static Map<String, String> read(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) return out;
        String text;
        try {
            if (Files.size(file) > 64 * 1024) throw new OrgTemplateLoader.InvalidTemplate(".env is larger than 64 KiB");
            text = Files.readString(file);
        } catch (IOException e) {
            throw new OrgTemplateLoader.InvalidTemplate(".env cannot be read");
        }
        int n = 0;
        for (String raw : text.split("\n")) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) throw new OrgTemplateLoader.InvalidTemplate(".env line " + n + " is not KEY=value");
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            try {
                SecretService.validateKey(key);
            } catch (ApiError e) {
                throw new OrgTemplateLoader.InvalidTemplate(".env line " + n + ": invalid name " + key);
            }
            out.put(key, value);
        }
        return out;
    }

    /** Replaces each {@code ${VAR}}; a variable {@code lookup} does not know fails naming it. */
    static String expand(String text, Function<String, String> lookup, String key) {
        Matcher m = VAR.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = lookup.apply(m.group(1));
            if (v == null) throw new OrgTemplateLoader.InvalidTemplate(key + ": ${" + m.group(1) + "} is not set (.env or environment)");
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }
}
