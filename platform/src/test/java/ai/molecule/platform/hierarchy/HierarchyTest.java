package ai.molecule.platform.hierarchy;

import ai.molecule.platform.testkit.Http;
import ai.molecule.platform.testkit.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CanCommunicate (spec §3.1) on a real tree in a real database, through both the service
 * and POST /registry/check-access:
 * <pre>
 *   A ── A1 ── A1a        B ── B1
 *    └── A2 ── A2a
 * </pre>
 */
class HierarchyTest {
    static TestPlatform platform;
    static Hierarchy hierarchy;
    static final Map<String, UUID> ids = new HashMap<>();
    static final UUID UNKNOWN = UUID.randomUUID();

    @BeforeAll
    static void buildTree() {
        platform = TestPlatform.start();
        hierarchy = new Hierarchy(platform.platform().database().jdbi(), ai.molecule.platform.db.Invalidations.local());
        create("A", null);
        create("B", null);
        create("A1", "A");
        create("A2", "A");
        create("A1a", "A1");
        create("A2a", "A2");
        create("B1", "B");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static void create(String name, String parent) {
        String parentField = parent == null ? "" : ",\"parent_id\":\"" + ids.get(parent) + "\"";
        ids.put(name, UUID.fromString(platform.createWorkspace("{\"name\":\"" + name + "\"" + parentField + "}")));
    }

    private static UUID id(String name) {
        return name.equals("unknown") ? UNKNOWN : ids.get(name);
    }

    private static Http.Response checkAccess(String caller, String target) {
        return platform.http().post("/registry/check-access",
                "{\"caller_id\":\"" + caller + "\",\"target_id\":\"" + target + "\"}");
    }

    @ParameterizedTest(name = "{0} -> {1}: {2} ({3})")
    @CsvSource(delimiter = '|', textBlock = """
            A       | A       | true  | self
            A1a     | A1a     | true  | self, leaf
            A1      | A       | true  | child to parent
            A       | A1      | true  | parent to child
            A1a     | A1      | true  | leaf to parent
            A1      | A2      | true  | siblings
            A2      | A1      | true  | siblings, reversed
            A       | B       | true  | root peers
            B       | A       | true  | root peers, reversed
            A1a     | A       | true  | grandchild to grandparent
            A       | A1a     | true  | grandparent to grandchild
            A1a     | A2a     | false | cousins
            A2a     | A1a     | false | cousins, reversed
            A2      | A1a     | false | uncle to nephew
            A1a     | A2      | false | nephew to uncle
            A1      | B1      | false | unrelated subtrees
            B1      | A1      | false | unrelated subtrees, reversed
            A1      | B       | false | child of one root to the other root
            B       | A1      | false | root to the other root's child
            A1a     | B1      | false | unrelated leaves
            unknown | A       | false | unknown caller
            A       | unknown | false | unknown target
            unknown | unknown | false | unknown self
            """)
    void canCommunicate(String caller, String target, boolean expected, String why) {
        assertThat(hierarchy.canCommunicate(id(caller), id(target))).as("service: " + why).isEqualTo(expected);
        Http.Response r = checkAccess(id(caller).toString(), id(target).toString());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).as("route: " + why).isEqualTo("{\"allowed\":" + expected + "}");
    }

    @Test
    void statusIsNotConsidered_removedWorkspacesStillParticipate() {
        create("C", null);
        create("C1", "C");
        assertThat(platform.http().delete("/workspaces/" + ids.get("C1")).status()).isEqualTo(200);
        assertThat(platform.http().delete("/workspaces/" + ids.get("C")).status()).isEqualTo(200);
        assertThat(hierarchy.canCommunicate(ids.get("C1"), ids.get("C"))).isTrue();
        assertThat(hierarchy.canCommunicate(ids.get("C"), ids.get("A"))).as("removed root is still a root peer").isTrue();
        assertThat(hierarchy.canCommunicate(ids.get("C1"), ids.get("A"))).isFalse();
        assertThat(checkAccess(ids.get("C").toString(), ids.get("C1").toString()).body()).isEqualTo("{\"allowed\":true}");
    }

    @Test
    void malformedIdsAreSimplyNotAllowed() {
        assertThat(checkAccess("not-a-uuid", ids.get("A").toString()).body()).isEqualTo("{\"allowed\":false}");
        assertThat(checkAccess(ids.get("A").toString(), "not-a-uuid").body()).isEqualTo("{\"allowed\":false}");
        assertThat(hierarchy.canCommunicate(null, ids.get("A"))).isFalse();
        assertThat(hierarchy.canCommunicate(ids.get("A"), null)).isFalse();
    }

    @ParameterizedTest(name = "bad body: {0}")
    @ValueSource(strings = {
            "", "not json", "[]", "\"x\"", "{}",
            "{\"caller_id\":\"00000000-0000-0000-0000-000000000001\"}",
            "{\"target_id\":\"00000000-0000-0000-0000-000000000001\"}",
            "{\"caller_id\":\"\",\"target_id\":\"00000000-0000-0000-0000-000000000001\"}",
            "{\"caller_id\":1,\"target_id\":2}",
            "{\"caller_id\":null,\"target_id\":null}"})
    void checkAccessRejectsABadBody(String body) {
        Http.Response r = platform.http().post("/registry/check-access", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"invalid request body\"}");
    }

    @Test
    void chainStartsWithTheWorkspaceAndEndsAtTheRoot() {
        assertThat(hierarchy.chain(ids.get("A1a"))).containsExactly(ids.get("A1a"), ids.get("A1"), ids.get("A"));
        assertThat(hierarchy.chain(UNKNOWN)).isEmpty();
        assertThat(hierarchy.subtree(ids.get("A"))).containsExactlyInAnyOrder(
                ids.get("A"), ids.get("A1"), ids.get("A2"), ids.get("A1a"), ids.get("A2a"));
    }
}
