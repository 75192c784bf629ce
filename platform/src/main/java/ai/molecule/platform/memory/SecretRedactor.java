package ai.molecule.platform.memory;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes API-key-like strings from text before it is stored as memory (spec §1.6): assignments
 * to {@code *_API_KEY}, {@code *_TOKEN}, {@code *_SECRET}, bearer tokens, {@code sk-…} and
 * {@code ctx7_…} keys, and long base64-ish runs. Each becomes {@code [REDACTED:<LABEL>]}.
 */
public final class SecretRedactor {
    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            // NAME=value: the name stays readable, the value goes.
            new Rule(Pattern.compile("(?i)\\b([A-Z0-9_]*(API_KEY|TOKEN|SECRET))=(\"[^\"]*\"|'[^']*'|\\S+)"), null),
            new Rule(Pattern.compile("(?i)\\bBearer\\s+[A-Za-z0-9._~+/=-]{8,}"), "Bearer [REDACTED:BEARER]"),
            new Rule(Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"), "[REDACTED:SK_KEY]"),
            new Rule(Pattern.compile("\\bctx7_[A-Za-z0-9_-]+"), "[REDACTED:CTX7_KEY]"),
            // 33+ characters of base64 with at least one letter and one digit (no hyphens, so UUIDs stay).
            new Rule(Pattern.compile("(?=[A-Za-z0-9+/_]{0,1000}[0-9])(?=[A-Za-z0-9+/_]{0,1000}[A-Za-z])[A-Za-z0-9+/_]{33,}={0,2}"),
                    "[REDACTED:BASE64]"));

    private SecretRedactor() {
    }

    public static String redact(String text) {
        if (text == null) return null;
        String out = text;
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(out);
            out = r.replacement() != null
                    ? m.replaceAll(Matcher.quoteReplacement(r.replacement()))
                    : m.replaceAll(mr -> Matcher.quoteReplacement(mr.group(1) + "=[REDACTED:" + mr.group(2).toUpperCase() + "]"));
        }
        return out;
    }
}
