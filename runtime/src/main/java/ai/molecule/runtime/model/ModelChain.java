package ai.molecule.runtime.model;

import java.util.List;

/** The primary model first, then the configured fallbacks, in the order they are tried. */
public record ModelChain(List<ModelCandidate> candidates) {
    public ModelChain {
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a model chain needs at least one model");
        }
    }

    public static ModelChain of(ModelCandidate... candidates) {
        return new ModelChain(List.of(candidates));
    }
}
