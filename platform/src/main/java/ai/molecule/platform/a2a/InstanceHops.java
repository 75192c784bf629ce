package ai.molecule.platform.a2a;

import ai.molecule.platform.db.TtlCache;
import ai.molecule.platform.workspace.Workspace;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Messages for a runtime embedded in another platform instance. They go to the URL that
 * instance advertises (never to a URL taken from the workspace row) with a hop token every
 * instance derives from the shared secrets key. The receiving instance hands such a message
 * straight to the runtime: the sending instance already applied the proxy's rules (caller,
 * hierarchy, budget, capacity) and logs the hop, so nothing is counted twice.
 */
public final class InstanceHops {
    static final String HEADER = "X-Molecule-Hop";

    private final Jdbi jdbi;
    private final String instanceId;
    private final byte[] token;
    private final TtlCache<String, String> urls = new TtlCache<>(Duration.ofSeconds(10));

    public InstanceHops(Jdbi jdbi, String instanceId, byte[] secretsKey) {
        this.jdbi = jdbi;
        this.instanceId = instanceId;
        this.token = hmac(secretsKey, "molecule instance hop v1");
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encode(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This instance is alive and answers at {@code url}. */
    public void advertise(String url) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO platform_instances (instance_id, url, last_seen_at) VALUES (:me, :url, now())
                        ON CONFLICT (instance_id) DO UPDATE SET url = excluded.url, last_seen_at = now()""")
                .bind("me", instanceId).bind("url", url).execute());
    }

    /** Instances other than this one silent for {@code timeout}: removed, and returned so their holdings are released. */
    java.util.List<String> forgetSilent(Duration timeout) {
        return jdbi.withHandle(h -> h.createQuery("""
                        DELETE FROM platform_instances
                        WHERE instance_id <> :me AND last_seen_at < now() - make_interval(secs => :secs)
                        RETURNING instance_id""")
                .bind("me", instanceId).bind("secs", (double) timeout.toSeconds()).mapTo(String.class).list());
    }

    /** Where a message for {@code ws} goes when its runtime is embedded in another live instance. */
    Optional<String> route(Workspace ws) {
        if (ws.instanceId() == null || ws.instanceId().equals(instanceId) || ws.url() == null
                || !ws.url().endsWith("/agents/" + ws.id())) {
            return Optional.empty();
        }
        return urls.get(ws.instanceId(), id -> jdbi.withHandle(h -> h.createQuery(
                                "SELECT url FROM platform_instances WHERE instance_id = :id AND url IS NOT NULL")
                        .bind("id", id).mapTo(String.class).findOne()))
                .map(base -> base + "/agents/" + ws.id());
    }

    String token() {
        return new String(token, StandardCharsets.US_ASCII);
    }

    /** The request carries this installation's hop token (constant-time comparison). */
    boolean presented(Context ctx) {
        String h = ctx.header(HEADER);
        return h != null && MessageDigest.isEqual(token, h.getBytes(StandardCharsets.US_ASCII));
    }
}
