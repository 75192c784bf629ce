package ai.molecule.platform.canvas;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** GET/PUT /canvas/viewport (spec §1.17) and its CanvasOrBearer guard (spec §2.5). */
class ViewportTest {
    static TestPlatform platform;
    static Http http;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        http = platform.http();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void defaultThenSavedWithGoFloats() {
        try (TestPlatform fresh = TestPlatform.start()) {
            Http.Response def = fresh.http().get("/canvas/viewport");
            assertThat(def.status()).isEqualTo(200);
            assertThat(def.body()).isEqualTo("{\"x\":0,\"y\":0,\"zoom\":1}");

            Http.Response put = fresh.http().put("/canvas/viewport", "{\"x\":-120,\"y\":33.25,\"zoom\":1.5}");
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.body()).isEqualTo("{\"status\":\"saved\"}");
            assertThat(fresh.http().get("/canvas/viewport").body()).isEqualTo("{\"x\":-120,\"y\":33.25,\"zoom\":1.5}");

            fresh.http().put("/canvas/viewport", "{\"x\":100,\"y\":0,\"zoom\":2}");
            assertThat(fresh.http().get("/canvas/viewport").body()).as("single row, overwritten")
                    .isEqualTo("{\"x\":100,\"y\":0,\"zoom\":2}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"x\":1,\"y\":2}",
            "{\"y\":2,\"zoom\":1}",
            "{\"x\":1,\"zoom\":1}",
            "{\"x\":\"1\",\"y\":2,\"zoom\":1}",
            "{\"x\":1,\"y\":true,\"zoom\":1}",
            "{\"x\":1,\"y\":2,\"zoom\":null}",
            "{not json",
            "[1,2,3]",
            ""})
    void invalidBodiesAreRejected(String body) {
        Http.Response r = http.put("/canvas/viewport", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"invalid viewport data\"}");
    }

    @Test
    void onceTokensExistPutNeedsBearerOrCanvasOrigin() {
        try (TestPlatform p = TestPlatform.start()) {
            Http h = p.http();
            String id = p.createWorkspace("{\"name\":\"w\"}");
            String token = p.register(id);
            String body = "{\"x\":5,\"y\":6,\"zoom\":0.5}";

            Http.Response none = h.put("/canvas/viewport", body);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().path("error").asText()).isEqualTo("admin auth required");
            Http.Response foreign = h.put("/canvas/viewport", body, "Origin", "http://evil.example");
            assertThat(foreign.status()).isEqualTo(401);
            assertThat(foreign.json().path("error").asText()).isEqualTo("admin auth required");
            Http.Response bad = h.put("/canvas/viewport", body, "Authorization", "Bearer not-a-token");
            assertThat(bad.status()).isEqualTo(401);
            assertThat(bad.json().path("error").asText()).isEqualTo("invalid admin auth token");

            assertThat(h.put("/canvas/viewport", body, "Origin", "http://localhost:3000").status()).isEqualTo(200);
            assertThat(h.put("/canvas/viewport", body, "Origin", "http://localhost:3001").status()).isEqualTo(200);
            // the canvas served by this platform itself: Origin = http://<Host>
            assertThat(h.put("/canvas/viewport", body, "Origin", "http://127.0.0.1:" + p.port()).status()).isEqualTo(200);
            assertThat(h.put("/canvas/viewport", body, "Origin", "http://127.0.0.1:" + (p.port() + 1)).status()).isEqualTo(401);
            assertThat(h.put("/canvas/viewport", body, "Origin", "http://127.0.0.1:" + p.port() + ".evil.example").status())
                    .isEqualTo(401);
            assertThat(h.put("/canvas/viewport", "{\"x\":7,\"y\":8,\"zoom\":1}", "Authorization", Http.bearer(token)).status())
                    .isEqualTo(200);
            assertThat(h.get("/canvas/viewport").body()).as("GET stays open").isEqualTo("{\"x\":7,\"y\":8,\"zoom\":1}");
        }
    }
}
