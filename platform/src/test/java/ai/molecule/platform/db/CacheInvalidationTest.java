package ai.molecule.platform.db;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static ai.molecule.platform.testkit.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tokens and ancestor chains are cached on every instance; a change made through another
 * instance reaches those caches through the invalidation triggers well before their 30 s
 * safety expiry.
 */
class CacheInvalidationTest {
    private static final String ADMIN = "cache-admin";
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    @Test
    void aTokenRevokedOnOneInstanceStopsWorkingOnTheOther() {
        try (TestPlatform a = TestPlatform.start("ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "none");
             TestPlatform b = TestPlatform.sharing(a, "ADMIN_TOKEN", ADMIN, "MOLECULE_PROVISIONER", "none")) {
            String id = a.createWorkspace("{\"name\":\"W\"}", "Authorization", bearer(ADMIN));
            Http.Response minted = a.http().post("/workspaces/" + id + "/tokens", null, "Authorization", bearer(ADMIN));
            String token = minted.json().get("auth_token").asText();
            Http.Response listed = b.http().get("/workspaces/" + id + "/tokens", "Authorization", bearer(token));
            assertThat(listed.status()).as("B has the token cached now").isEqualTo(200);
            String tokenId = listed.json().get("tokens").get(0).get("id").asText();

            assertThat(a.http().delete("/workspaces/" + id + "/tokens/" + tokenId, "Authorization", bearer(ADMIN)).status())
                    .isEqualTo(200);
            await().atMost(PROMPTLY).until(() ->
                    b.http().get("/workspaces/" + id + "/tokens", "Authorization", bearer(token)).status() == 401);
        }
    }

    @Test
    void aReparentOnOneInstanceChangesWhoMayTalkOnTheOther() {
        try (TestPlatform a = TestPlatform.start("MOLECULE_ENV", "development", "MOLECULE_PROVISIONER", "none");
             TestPlatform b = TestPlatform.sharing(a, "MOLECULE_ENV", "development", "MOLECULE_PROVISIONER", "none")) {
            String r1 = a.createWorkspace("{\"name\":\"R1\"}");
            String r2 = a.createWorkspace("{\"name\":\"R2\"}");
            String c = a.createWorkspace("{\"name\":\"C\",\"parent_id\":\"" + r1 + "\"}");
            String access = "{\"caller_id\":\"" + c + "\",\"target_id\":\"" + r2 + "\"}";
            assertThat(b.http().post("/registry/check-access", access).json().get("allowed").asBoolean()).isFalse();

            assertThat(a.http().patch("/workspaces/" + c, "{\"parent_id\":null}").status()).isEqualTo(200);
            await().atMost(PROMPTLY).until(() ->
                    b.http().post("/registry/check-access", access).json().get("allowed").asBoolean());
        }
    }
}
