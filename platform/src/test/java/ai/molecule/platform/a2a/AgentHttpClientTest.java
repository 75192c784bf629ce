package ai.molecule.platform.a2a;

import ai.molecule.platform.testkit.FakeAgent;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's HTTP client connects only where the SSRF check looked: a host name goes to the
 * address that passed the check and is never resolved again (no DNS rebinding window).
 */
class AgentHttpClientTest {
    private static final String BODY = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"message/send\",\"params\":{\"message\":"
            + "{\"role\":\"user\",\"messageId\":\"m1\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}]}}}";

    @Test
    void aNameGoesToTheCheckedAddressAndIsNeverLookedUp() throws Exception {
        try (FakeAgent agent = new FakeAgent(); AgentHttpClient client = new AgentHttpClient()) {
            // .invalid never resolves in DNS: reaching the agent proves the checked address was used
            Dispatch pinned = client.post("http://agent.invalid:" + agent.port() + "/", InetAddress.getByName("127.0.0.1"),
                    Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(pinned).isInstanceOf(Dispatch.Reply.class);
            assertThat(((Dispatch.Reply) pinned).status()).isEqualTo(200);

            Dispatch unchecked = client.post("http://localhost:" + agent.port() + "/", null, Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(unchecked).as("an unchecked name is not resolved by the client").isInstanceOf(Dispatch.Unreachable.class);

            Dispatch literal = client.post(agent.url() + "/", null, Map.of(), BODY).get(10, TimeUnit.SECONDS);
            assertThat(literal).isInstanceOf(Dispatch.Reply.class);
            Dispatch streamed = client.postStreaming("http://agent.invalid:" + agent.port() + "/", null, Map.of(), BODY, e -> { });
            assertThat(streamed).as("the streaming path is pinned too").isInstanceOf(Dispatch.Reply.class);
            assertThat(agent.messageIds()).hasSize(3);
        }
    }
}
