package ai.molecule.platform.db;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A small read-through cache for hot lookups of the request path. Entries live at most
 * {@code ttl} (a safety net); invalidations remove them at once. A value loaded while an
 * invalidation happened is returned but not kept, so a stale read can never stick.
 * A loader returning empty is not cached, nor a value the caller's {@code keep} test refuses.
 */
public final class TtlCache<K, V> {
    private record Entry<V>(V value, long expiresAt) {
    }

    private final ConcurrentHashMap<K, Entry<V>> map = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;

    public TtlCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        return get(key, loader, v -> true);
    }

    /** As {@link #get(Object, Function)}, but a loaded value is kept only when {@code keep} accepts it. */
    public Optional<V> get(K key, Function<K, Optional<V>> loader, java.util.function.Predicate<V> keep) {
        long now = System.nanoTime();
        Entry<V> e = map.get(key);
        if (e != null && now - e.expiresAt() < 0) return Optional.of(e.value());
        long gen = generation.get();
        Optional<V> loaded = loader.apply(key);
        if (loaded.isPresent() && keep.test(loaded.get()) && generation.get() == gen) {
            map.put(key, new Entry<>(loaded.get(), now + ttlNanos));
            if (generation.get() != gen) map.remove(key); // an invalidation raced the put
        }
        return loaded;
    }

    /** Swaps a cached value for an updated one, keeping its expiry; no-op when it changed meanwhile. */
    public void replace(K key, V old, V updated) {
        map.computeIfPresent(key, (k, e) -> e.value() == old ? new Entry<>(updated, e.expiresAt()) : e);
    }

    public void remove(K key) {
        generation.incrementAndGet();
        map.remove(key);
    }

    /** Removes every entry the predicate matches (key, value). */
    public void removeIf(BiPredicate<K, V> matches) {
        generation.incrementAndGet();
        map.entrySet().removeIf(e -> matches.test(e.getKey(), e.getValue().value()));
    }

    public void clear() {
        generation.incrementAndGet();
        map.clear();
    }
}
