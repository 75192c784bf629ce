package ai.molecule.platform.health;

import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Supervised background loops report each tick here; /admin/liveness shows how long ago
 * each last ran. Kept in Postgres, so any instance answers for the whole deployment.
 */
public final class Subsystems {
    private final Jdbi jdbi;

    public Subsystems(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void tick(String name) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO subsystem_ticks (name, last_tick_at) VALUES (:n, now())
                        ON CONFLICT (name) DO UPDATE SET last_tick_at = now()""")
                .bind("n", name).execute());
    }

    public Map<String, Object> report() {
        Map<String, Object> subsystems = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT name, last_tick_at, floor(extract(epoch FROM now() - last_tick_at))::bigint AS ago
                        FROM subsystem_ticks ORDER BY name""")
                .map((rs, c) -> {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("last_tick_at", rs.getObject("last_tick_at", OffsetDateTime.class));
                    s.put("seconds_ago", rs.getLong("ago"));
                    subsystems.put(rs.getString("name"), s);
                    return null;
                }).list());
        return Map.of("subsystems", subsystems);
    }
}
