package ai.molecule.runtime.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A parsed {@code script:} block: regex rules checked first, then ordered steps. */
record Script(List<Rule> rules, List<ScriptStep> steps) {

    record Rule(Pattern match, ScriptStep step) {
        boolean matches(String input) {
            return match.matcher(input).find();
        }
    }

    static Script parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isEmpty()) {
            return new Script(List.of(), List.of());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("script must be an object with rules: and/or steps:");
        }
        List<Rule> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode rule : list(node, "rules")) {
            String where = "rules[" + index++ + "]";
            JsonNode match = rule.get("match");
            if (match == null || !match.isTextual()) {
                throw new IllegalArgumentException("script " + where + " needs match: (a regex)");
            }
            rules.add(new Rule(compile(match.asText(), where), ScriptStep.parse(rule, where)));
        }
        List<ScriptStep> steps = new ArrayList<>();
        index = 0;
        for (JsonNode step : list(node, "steps")) {
            steps.add(ScriptStep.parse(step, "steps[" + index++ + "]"));
        }
        return new Script(List.copyOf(rules), List.copyOf(steps));
    }

    boolean isEmpty() {
        return rules.isEmpty() && steps.isEmpty();
    }

    private static Iterable<JsonNode> list(JsonNode script, String field) {
        JsonNode value = script.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("script " + field + ": must be a list");
        }
        return value;
    }

    private static Pattern compile(String regex, String where) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("script " + where + " match: is not a valid regex: " + e.getDescription());
        }
    }
}
