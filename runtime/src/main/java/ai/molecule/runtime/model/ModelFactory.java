package ai.molecule.runtime.model;

import ai.molecule.runtime.agent.ModelSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a workspace's model settings into LangChain4j models. A spec is "provider:model";
 * without a known provider prefix the whole string is an Anthropic model name, as upstream.
 */
public final class ModelFactory {

    @FunctionalInterface
    private interface Provider {
        ModelCandidate build(String spec, String modelName, ProviderEnv env, ModelSettings settings);
    }

    private static final String DEFAULT_PROVIDER = "anthropic";
    private static final Map<String, Provider> PROVIDERS = providers();

    private ModelFactory() {
    }

    /** The primary model, then each fallback; any bad spec or missing key fails the whole chain. */
    public static ModelChain create(ModelSettings settings, Map<String, String> env) {
        if (settings == null || settings.model() == null || settings.model().isBlank()) {
            throw new IllegalArgumentException("no model configured (set model: in config.yaml, e.g. anthropic:claude-sonnet-4-5)");
        }
        ProviderEnv providerEnv = new ProviderEnv(env);
        List<String> specs = new ArrayList<>();
        specs.add(settings.model().trim());
        if (settings.fallbacks() != null) {
            settings.fallbacks().stream().filter(s -> s != null && !s.isBlank()).map(String::trim).forEach(specs::add);
        }
        List<ModelCandidate> candidates = new ArrayList<>();
        for (String spec : specs) {
            candidates.add(build(spec, providerEnv, settings));
        }
        return new ModelChain(candidates);
    }

    /**
     * The environment variables the provider of {@code spec} reads (its key and base URL), so a
     * platform can hand a workspace exactly the shared credentials its models need.
     */
    public static List<String> envNames(String spec) {
        if (spec == null || spec.isBlank()) return List.of();
        String s = spec.trim();
        int colon = s.indexOf(':');
        String provider = (colon < 0 ? s : s.substring(0, colon)).toLowerCase();
        if (colon < 0 && !PROVIDERS.containsKey(provider)) provider = DEFAULT_PROVIDER;
        for (OpenAiCompatibleProviders.Service service : OpenAiCompatibleProviders.SERVICES) {
            if (service.name().equals(provider)) {
                List<String> names = new ArrayList<>(service.keyNames());
                names.add(service.baseUrlVariable());
                return names;
            }
        }
        return switch (provider) {
            case "anthropic" -> List.of("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL");
            case "gemini", "google_genai" -> List.of("GEMINI_API_KEY", "GOOGLE_API_KEY", "GEMINI_BASE_URL");
            case "ollama" -> List.of("OLLAMA_BASE_URL");
            case "mistral" -> List.of("MISTRAL_API_KEY", "MISTRAL_BASE_URL");
            default -> List.of();
        };
    }

    public static List<String> knownProviders() {
        return List.copyOf(PROVIDERS.keySet());
    }

    private static ModelCandidate build(String spec, ProviderEnv env, ModelSettings settings) {
        int colon = spec.indexOf(':');
        String providerName = (colon < 0 ? spec : spec.substring(0, colon)).toLowerCase();
        if (colon < 0 && !PROVIDERS.containsKey(providerName)) {
            return build(DEFAULT_PROVIDER + ":" + spec, env, settings);
        }
        Provider provider = PROVIDERS.get(providerName);
        if (provider == null) {
            throw new IllegalArgumentException("unknown model provider '" + providerName + "' in model " + spec
                    + "; known providers: " + String.join(", ", PROVIDERS.keySet()));
        }
        String modelName = colon < 0 ? "" : spec.substring(colon + 1).trim();
        if (modelName.isEmpty() && !"scripted".equals(providerName)) {
            throw new IllegalArgumentException("model " + spec + " names no model after '" + providerName + ":'");
        }
        return provider.build(spec, modelName, env, settings);
    }

    private static Map<String, Provider> providers() {
        Map<String, Provider> providers = new LinkedHashMap<>();
        providers.put("anthropic", (spec, name, env, settings) -> NativeProviders.anthropic(spec, name, env));
        for (OpenAiCompatibleProviders.Service service : OpenAiCompatibleProviders.SERVICES) {
            providers.put(service.name(), (spec, name, env, settings) -> OpenAiCompatibleProviders.build(service, spec, name, env));
        }
        providers.put("gemini", (spec, name, env, settings) -> NativeProviders.gemini(spec, name, env));
        providers.put("google_genai", (spec, name, env, settings) -> NativeProviders.gemini(spec, name, env));
        providers.put("ollama", (spec, name, env, settings) -> NativeProviders.ollama(spec, name, env));
        providers.put("mistral", (spec, name, env, settings) -> NativeProviders.mistral(spec, name, env));
        providers.put("scripted", (spec, name, env, settings) -> {
            var model = new ScriptedChatModel(settings.script());
            return new ModelCandidate(spec, model, model);
        });
        return providers;
    }
}
