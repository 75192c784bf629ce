package ai.molecule.runtime.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Which model a workspace thinks with.
 *
 * @param model     "provider:model" (e.g. "anthropic:claude-sonnet-4-5", "openai:gpt-4o", "scripted");
 *                  no prefix means anthropic, as upstream
 * @param fallbacks further models tried in order when one fails
 * @param script    the scripted provider's script (config.yaml {@code script:}), or null
 */
public record ModelSettings(String model, List<String> fallbacks, JsonNode script) {
}
